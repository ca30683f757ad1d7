package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/clipboard"
	"github.com/fsdeck/fsdeck/internal/text"
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

type urlFlags struct {
	conn      connFlags
	signed    time.Duration
	chain, as string
	copy      bool
	json      bool
}

func urlCommand(ctx context.Context, io *stdio) *cobra.Command {
	var f urlFlags
	cmd := &cobra.Command{
		Use:   "url HANDLE",
		Short: "Print a file's URL (signed, transformed, or as Markdown, HTML or a curl command)",
		Long: `Print the delivery URL of a handle. --signed TTL attaches a read policy
valid for TTL (needs the app secret); --transform adds a processing chain;
--as picks the form; --copy also puts it on the clipboard and says exactly
where it went (tmux buffer, a native tool, or only the terminal).`,
		Example:           "  fsdeck url HANDLE --transform resize=width:300 --as markdown",
		Args:              exactArgs(1, "one HANDLE"),
		ValidArgsFunction: completeHandles,
		RunE:              func(_ *cobra.Command, args []string) error { return runURL(ctx, &f, args[0], io) },
	}
	f.conn.register(cmd)
	cmd.Flags().DurationVar(&f.signed, "signed", 0, "sign with the app secret, valid for this long (e.g. 1h)")
	cmd.Flags().StringVar(&f.chain, "transform", "", "processing chain, e.g. resize=width:300/rotate=deg:90")
	cmd.Flags().StringVar(&f.as, "as", "url", "url, handle, markdown, html or curl; with --to, also the service's links (thumb, medium, delete, viewer, permalink, downloadPage, raw, …)")
	cmd.Flags().BoolVar(&f.copy, "copy", false, "also copy it to the clipboard")
	cmd.Flags().BoolVar(&f.json, "json", false, "print a JSON object whose url field is the text --as made")
	cmd.RegisterFlagCompletionFunc("as", cobra.FixedCompletions([]string{"url", "handle", "markdown", "html", "curl",
		"viewer", "display", "thumb", "medium", "delete", "permalink", "downloadPage", "raw"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runURL(ctx context.Context, f *urlFlags, arg string, io *stdio) error {
	if isHostTarget(f.conn.target) {
		return runHostURL(ctx, f, arg, io)
	}
	h, ok := filestack.ParseHandle(arg)
	if !ok {
		return usageError("%q is not a Filestack handle or URL", arg)
	}
	if f.signed < 0 {
		return usageError("--signed needs a positive duration, such as 1h")
	}
	var ch transform.Chain
	if f.chain != "" {
		var err error
		if ch, err = parseChain(h, f.chain); err != nil {
			return err
		}
	}
	s, err := openSession(f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	c := s.conn.client
	if f.signed > 0 && !c.HasSecret() {
		return authError("--signed needs the app secret: add it with `fsdeck key set --secret` or %s", store.EnvAppSecret)
	}
	u := c.CDNURL(h)
	switch {
	case f.chain != "":
		u = c.TransformURL(ch, f.signed)
	case f.signed > 0:
		u, _ = c.SignedURL(h, f.signed)
	}
	name, image := h, false
	e, err := s.ledger.Get(ctx, s.scope(), h)
	switch {
	case err == nil:
		name, image = or(e.Filename, h), servesImage(e.Mimetype, ch)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	text, err := renderURL(f.as, h, u, name, image)
	if err != nil {
		return err
	}
	if f.json {
		r := result{Handle: h, URL: text, Filename: name, Path: e.StorePath, Status: statusOK}
		if f.chain == "" {
			// A processed URL serves another size and type than the file.
			r.Size, r.Type = e.Size, e.Mimetype
		}
		s.printer(outFlags{json: true}, io, nil).add(r)
	} else {
		fmt.Fprintln(io.out, text)
	}
	if f.copy {
		return copyText(ctx, text, io, s.cfg.NativeClipboard)
	}
	return nil
}

// renderURL writes the URL in the form asked for, escaped for the form
// exactly as the interface's copy-as menu does; Markdown and HTML are the
// image forms (![…](…), <img>) when the URL serves an image.
func renderURL(as, h, u, name string, image bool) (string, error) {
	switch as {
	case "url":
		return u, nil
	case "handle":
		return h, nil
	case "markdown":
		return text.MarkdownLink(name, u, image), nil
	case "html":
		return text.HTMLLink(name, u, image), nil
	case "curl":
		return text.CurlCommand(name, h, u), nil
	}
	return "", usageError("--as %q: use url, handle, markdown, html or curl", as)
}

// servesImage says whether a file of type mimetype, processed by chain
// (empty: none), is delivered as an image: an image stays one unless an
// output task converts it to a document format.
func servesImage(mimetype string, chain transform.Chain) bool {
	if !strings.HasPrefix(mimetype, "image/") {
		return false
	}
	for _, t := range chain.Tasks {
		if t.Name != "output" || !t.Has("format") {
			continue
		}
		switch strings.ToLower(t.String("format", "")) {
		case "jpg", "jpeg", "pjpg", "png", "webp", "gif", "bmp", "tiff", "svg":
		default:
			return false // a document format: pdf, docx, txt, …
		}
	}
	return true
}

// copyText puts text on the clipboard as the interface does and reports
// exactly what happened on stderr (an OSC 52 sequence is reported as sent,
// not as copied); exit status 1 when nothing could take it.
func copyText(ctx context.Context, text string, io *stdio, native bool) error {
	env := clipboard.System()
	env.NoTools = !native
	var term *os.File
	if f, ok := io.err.(*os.File); ok && io.errIsTerminal() {
		term = f
	}
	var rep clipboard.Report
	if term != nil {
		rep = clipboard.Copy(ctx, text, term, env)
	} else {
		rep = clipboard.Copy(ctx, text, nil, env)
	}
	fmt.Fprintln(io.err, "fsdeck: clipboard:", rep.String())
	if rep.Failed() {
		return errPartial
	}
	return nil
}

type transformFlags struct {
	conn   connFlags
	out    outFlags
	output string
	store  bool
	force  bool
}

func transformCommand(ctx context.Context, io *stdio) *cobra.Command {
	var f transformFlags
	cmd := &cobra.Command{
		Use:   "transform HANDLE CHAIN",
		Short: "Build a processing URL from a chain; fetch (-o) or store (--store) the result",
		Long: `Build the processing URL of CHAIN (such as resize=width:300/rotate=deg:90,
checked with the same grammar as the interface's studio) applied to HANDLE.
Without -o or --store it prints the URL; -o FILE saves the result (- for
stdout, never overwriting without --force); --store stores it as a new file
and adds it to the ledger.`,
		Args:              exactArgs(2, "a HANDLE and a CHAIN"),
		ValidArgsFunction: completeHandles,
		RunE:              func(_ *cobra.Command, args []string) error { return runTransform(ctx, &f, args, io) },
	}
	f.conn.register(cmd)
	f.out.register(cmd, "handles")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "save the result to this file (- for stdout)")
	cmd.Flags().BoolVar(&f.store, "store", false, "store the result on Filestack as a new file")
	cmd.Flags().BoolVar(&f.force, "force", false, "overwrite the -o file")
	cmd.MarkFlagsMutuallyExclusive("output", "store")
	return cmd
}

func runTransform(ctx context.Context, f *transformFlags, args []string, io *stdio) error {
	if isHostTarget(f.conn.target) {
		return usageError("transform is Filestack-only: processing runs on Filestack's CDN, and %s has none", f.conn.target)
	}
	h, ok := filestack.ParseHandle(args[0])
	if !ok {
		return usageError("%q is not a Filestack handle or URL", args[0])
	}
	ch, err := parseChain(h, args[1])
	if err != nil {
		return err
	}
	s, err := openSession(f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	c := s.conn.client
	switch {
	case f.store:
		st := filestack.StoreOptions{Location: s.cfg.Store.Location, Path: s.cfg.Store.Path, Container: s.cfg.Store.Container,
			Region: s.cfg.Store.Region, Access: s.cfg.Store.Access}
		file, err := c.StoreTransform(ctx, ch, st)
		if err != nil {
			return fmt.Errorf("%s: %w", h, remoteError(h, err))
		}
		e := store.Entry{Handle: file.Handle, Filename: file.Filename, Size: file.Size, Mimetype: file.Mimetype,
			Uploaded: time.Now(), Source: store.SourceTransform, StorePath: st.Path}
		if err := s.ledger.Add(ctx, s.scope(), e); err != nil {
			return fmt.Errorf("stored as %s, but recording it in the ledger failed: %w", file.Handle, err)
		}
		p := s.printer(f.out, io, nil)
		p.add(entryResult(s, e, statusStored))
		return p.flush()
	case f.output == "-":
		_, err := c.FetchTransform(ctx, ch, io.out, maxTransformResult)
		return wrapRemote(h, err)
	case f.output != "":
		return saveTransform(ctx, c, ch, h, f.output, f.force)
	}
	fmt.Fprintln(io.out, c.TransformURL(ch, 0))
	return nil
}

// maxTransformResult bounds a fetched processing result.
const maxTransformResult = 1 << 30

func wrapRemote(h string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", h, remoteError(h, err))
}

// saveTransform writes the result next to path and renames it into place,
// so a failed fetch leaves nothing under the name.
func saveTransform(ctx context.Context, c *filestack.Client, ch transform.Chain, h, path string, force bool) error {
	if _, err := os.Lstat(path); err == nil && !force {
		return fmt.Errorf("%s exists; not overwriting it without --force", path)
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
			return errors.New(path + " appeared meanwhile; not overwriting it without --force")
		}
	}
	return os.Rename(tmp.Name(), path)
}
