package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
)

// parseChain reads a task chain such as "resize=width:300/rotate=deg:90"
// for a handle, with the shared grammar's messages.
func parseChain(h, chain string) (transform.Chain, error) {
	ch, err := transform.Parse("/" + strings.Trim(chain, "/") + "/" + h)
	switch {
	case err == nil && ch.APIKey != "":
		// The grammar reads a leading word that is no task as the API key
		// segment; fsdeck adds the key itself, so here it is a misspelt
		// or unknown task (`blahblah`, `bogus`).
		err = &transform.Error{Task: ch.APIKey, Msg: transform.UnknownTask("unknown", ch.APIKey)}
	case err == nil:
		err = ch.Validate()
	}
	if err != nil {
		return ch, usageError("chain %q: %v", chain, err)
	}
	return ch, nil
}

type transformOptions struct {
	IO      *iostreams.IOStreams
	factory *Factory
	Args    []string
	conn    connFlags
	out     outFlags
	output  string
	store   bool
	force   bool
}

// newCmdTransform is `fsdeck transform`.
func newCmdTransform(f *Factory, runF func(context.Context, *transformOptions) error) *cobra.Command {
	opts := &transformOptions{IO: f.IOStreams, factory: f}
	cmd := &cobra.Command{
		Use:   "transform HANDLE CHAIN",
		Short: "Build a processing URL from a chain; fetch (-o) or store (--store) the result",
		Long: `Build the processing URL of CHAIN (such as resize=width:300/rotate=deg:90,
checked with the same grammar as the interface's studio) applied to HANDLE.
Without -o or --store it prints the URL; -o FILE saves the result (- for
stdout, never overwriting without --force); --store stores it as a new file
and adds it to the ledger.`,
		Args:              exactArgs(2, "a HANDLE and a CHAIN"),
		ValidArgsFunction: completeHandles(f),
		RunE:              runE(opts, func(args []string) { opts.Args = args }, runF, runTransform),
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, "handles")
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "save the result to this file (- for stdout)")
	cmd.Flags().BoolVar(&opts.store, "store", false, "store the result on Filestack as a new file")
	cmd.Flags().BoolVar(&opts.force, "force", false, "overwrite the -o file")
	cmd.MarkFlagsMutuallyExclusive("output", "store")
	return cmd
}

// runTransform runs a processing chain on a file of a target that
// processes files by URL (a Transformer): prints its URL, fetches the
// result or stores it as a new file.
func runTransform(ctx context.Context, f *transformOptions) error {
	args, io := f.Args, f.IO
	// What the target can do and how it reads the handle are known before
	// the session starts anything.
	kind, err := sess.Kind(f.conn.target)
	if err != nil {
		return err
	}
	if _, ok := kind.Service.(hosts.Transformer); !ok || !kind.Caps().Transform {
		return usageError("transform is Filestack-only: processing runs on Filestack's CDN, and %s has none", kind.Info.Name)
	}
	h, own, ok := ownRef(kind, args[0])
	if own && !ok {
		return notRef(kind, args[0])
	}
	var ch transform.Chain
	if own {
		if ch, err = parseChain(h, args[1]); err != nil {
			return err
		}
	}
	s, err := openSession(f.factory, f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	tr, ok := s.Target.Service.(hosts.Transformer)
	if !ok {
		return usageError("transform is Filestack-only: processing runs on Filestack's CDN, and %s has none", s.Target.Info.Name)
	}
	if !own {
		if h, ok = s.parseRef(ctx, args[0]); !ok {
			return notRef(s.Target, args[0])
		}
		if ch, err = parseChain(h, args[1]); err != nil {
			return err
		}
	}
	switch {
	case f.store:
		r, err := tr.StoreTransform(ctx, ch, "")
		if err != nil {
			return fmt.Errorf("%s: %w", h, targetError(err))
		}
		e := store.Entry{Handle: r.ID, Filename: r.Name, Size: r.Size, Mimetype: r.Mimetype,
			Uploaded: time.Now(), Source: store.SourceTransform, StorePath: s.Config.Store.Path}
		if err := s.Ledger.Add(ctx, s.scope(), e); err != nil {
			return fmt.Errorf("stored as %s, but recording it in the ledger failed: %w", r.ID, err)
		}
		p := s.printer(f.out, io, nil)
		p.add(entryResult(s, e, statusStored))
		return p.flush()
	case f.output == "-":
		_, err := tr.FetchTransform(ctx, ch, io.Out, maxTransformResult)
		return wrapRemote(h, err)
	case f.output != "":
		return saveTransform(ctx, tr, ch, h, f.factory.Abs(f.output), f.output, f.force)
	}
	fmt.Fprintln(io.Out, tr.TransformURL(ch, 0))
	return nil
}

// maxTransformResult bounds a fetched processing result.
const maxTransformResult = 1 << 30

func wrapRemote(h string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", h, targetError(err))
}

// saveTransform writes the result next to path and renames it into place,
// so a failed fetch leaves nothing under the name. Messages name the file
// as given (shown).
func saveTransform(ctx context.Context, c hosts.Transformer, ch transform.Chain, h, path, shown string, force bool) error {
	if _, err := os.Lstat(path); err == nil && !force {
		return fmt.Errorf("%s exists; not overwriting it without --force", shown)
	}
	// Created as downloads are (0666 before the umask, like `fsdeck get`'s
	// files; os.CreateTemp's 0600 made results unreadable to the group).
	tmp, err := transfer.CreatePartial(dirOf(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, ferr := c.FetchTransform(ctx, ch, tmp, maxTransformResult)
	if cerr := tmp.Close(); ferr == nil {
		ferr = cerr
	}
	if ferr != nil {
		return wrapRemote(h, ferr)
	}
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return errors.New(shown + " appeared meanwhile; not overwriting it without --force")
		}
	}
	return os.Rename(tmp.Name(), path)
}
