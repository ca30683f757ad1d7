package cli

import (
	"bufio"
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// entryResult is a ledger entry as a result line.
func entryResult(s *session, e store.Entry, status string) result {
	return result{Handle: e.Handle, URL: s.fileURL(e), Filename: e.Filename, Size: e.Size,
		Type: e.Mimetype, Path: e.StorePath, Status: status, fromLedger: true}
}

func lsCommand(ctx context.Context, io *stdio) *cobra.Command {
	var cf connFlags
	var of outFlags
	var sortBy, filter string
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List the remote files in the ledger for the target, endpoint and key (with the server's list where the target has one)",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if _, err := filepath.Match(filter, ""); err != nil {
				return usageError("--filter %q: %v", filter, err)
			}
			s, err := openSession(cf)
			if err != nil {
				return err
			}
			defer s.close()
			entries, err := s.ledger.List(ctx, s.scope())
			if err != nil {
				return err
			}
			var listErr error
			if s.host != nil {
				entries, listErr = hostServerList(ctx, s, entries)
			}
			if err := sortEntries(entries, sortBy); err != nil {
				return err
			}
			p := s.printer(of, io, nil)
			for _, e := range entries {
				if ok, _ := filepath.Match(strings.ToLower(filter), strings.ToLower(e.Filename)); filter != "" && !ok {
					continue
				}
				status := statusOK
				if e.Gone {
					status = "gone"
				}
				p.add(entryResult(s, e, status))
			}
			if listErr != nil {
				p.flush()
				fmt.Fprintln(io.err, "fsdeck: the server's list:", text.SanitizeLines(listErr.Error()))
				return errPartial
			}
			return p.flush()
		},
	}
	cf.register(cmd)
	of.register(cmd, "handles")
	cmd.Flags().StringVar(&sortBy, "sort", "date", "order: date (newest first), name, size, type")
	cmd.Flags().StringVar(&filter, "filter", "", "only file names matching this glob (case-insensitive), e.g. '*.png'")
	cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions([]string{"date", "name", "size", "type"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func sortEntries(es []store.Entry, by string) error {
	less := map[string]func(a, b store.Entry) bool{
		"date": func(a, b store.Entry) bool { return a.Uploaded.After(b.Uploaded) },
		"name": func(a, b store.Entry) bool { return strings.ToLower(a.Filename) < strings.ToLower(b.Filename) },
		"size": func(a, b store.Entry) bool { return a.Size > b.Size },
		"type": func(a, b store.Entry) bool { return a.Mimetype < b.Mimetype },
	}[by]
	if less == nil {
		return usageError("--sort %q: use date, name, size or type", by)
	}
	sort.SliceStable(es, func(i, j int) bool { return less(es[i], es[j]) })
	return nil
}

// handleCommand is a command that acts on each HANDLE argument in turn,
// reporting each result and going on after failures.
func handleCommand(ctx context.Context, io *stdio, use, short, quietWhat string,
	act func(ctx context.Context, s *session, h string) (result, error)) *cobra.Command {
	var cf connFlags
	var of outFlags
	cmd := &cobra.Command{
		Use:               use,
		Short:             short,
		Args:              minArgs(1, "at least one HANDLE"),
		ValidArgsFunction: completeHandles,
		RunE: func(_ *cobra.Command, args []string) error {
			s, err := openSession(cf)
			if err != nil {
				return err
			}
			defer s.close()
			return eachHandle(ctx, s, s.printer(of, io, nil), args, act)
		},
	}
	cf.register(cmd)
	of.register(cmd, quietWhat)
	return cmd
}

func eachHandle(ctx context.Context, s *session, p *printer, args []string, act func(context.Context, *session, string) (result, error)) error {
	for _, a := range args {
		if ctx.Err() != nil {
			p.flush()
			return errInterrupted
		}
		h, ok := filestack.ParseHandle(a)
		if s.host != nil {
			h, ok = hostID(ctx, s, a)
		}
		if !ok {
			p.add(result{Handle: a, Status: statusFailed, Error: "not a " + s.targetTitle() + " handle or URL"})
			continue
		}
		r, err := act(ctx, s, h)
		if err != nil {
			r = failure(h, err)
		}
		p.add(r)
	}
	return p.flush()
}

// statHandle asks the server and refreshes the ledger's entry (a file
// the server no longer has is marked gone).
func statHandle(ctx context.Context, s *session, h string) (result, error) {
	if s.host != nil {
		return hostStat(ctx, s, h)
	}
	md, err := s.conn.client.Metadata(ctx, h)
	old, lerr := s.ledger.Get(ctx, s.scope(), h)
	if err != nil {
		if filestack.IsNotFound(err) && lerr == nil {
			old.Gone, old.RefreshedAt = true, time.Now()
			s.ledger.Refresh(ctx, s.scope(), old)
		}
		return result{}, remoteError(h, err)
	}
	e := metadataEntry(md, old)
	if lerr == nil {
		// Refresh, not Add: a row removed meanwhile stays removed.
		if _, err := s.ledger.Refresh(ctx, s.scope(), e); err != nil {
			return result{}, fmt.Errorf("refreshing the ledger: %w", err)
		}
	}
	return entryResult(s, e, statusOK), nil
}

// metadataEntry is a ledger entry updated from the server's metadata.
func metadataEntry(md *filestack.Metadata, e store.Entry) store.Entry {
	e.Handle, e.Filename, e.Mimetype = md.Handle, md.Filename, md.Mimetype
	if md.Size != nil {
		e.Size = *md.Size
	}
	if !md.Uploaded.IsZero() {
		e.Uploaded = md.Uploaded
	}
	e.Gone, e.RefreshedAt = false, time.Now()
	return e
}

// importHandle adds a handle the server knows to the ledger.
func importHandle(ctx context.Context, s *session, h string) (result, error) {
	if err := s.filestackOnly("import"); err != nil {
		return result{}, err
	}
	md, err := s.conn.client.Metadata(ctx, h)
	if err != nil {
		return result{}, remoteError(h, err)
	}
	old, lerr := s.ledger.Get(ctx, s.scope(), h)
	if lerr != nil {
		old = store.Entry{Source: store.SourceImport}
	}
	e := metadataEntry(md, old)
	if err := s.ledger.Add(ctx, s.scope(), e); err != nil {
		return result{}, fmt.Errorf("adding to the ledger: %w", err)
	}
	return entryResult(s, e, statusImported), nil
}

func storeURLCommand(ctx context.Context, io *stdio) *cobra.Command {
	var cf connFlags
	var of outFlags
	var storePath string
	cmd := &cobra.Command{
		Use:   "store-url URL…",
		Short: "Store public URLs on Filestack (the server fetches them) and add them to the ledger",
		Args:  minArgs(1, "at least one URL"),
		RunE: func(_ *cobra.Command, args []string) error {
			s, err := openSession(cf)
			if err != nil {
				return err
			}
			defer s.close()
			if err := s.filestackOnly("store-url"); err != nil {
				return err
			}
			p := s.printer(of, io, nil)
			for _, u := range args {
				p.add(storeOneURL(ctx, s, u, storePath))
			}
			return p.flush()
		},
	}
	cf.register(cmd)
	of.register(cmd, "handles")
	cmd.Flags().StringVar(&storePath, "store-path", "", "store path (default from config.toml)")
	return cmd
}

func storeOneURL(ctx context.Context, s *session, u, storePath string) result {
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return result{Path: u, Status: statusFailed, Error: "not an http(s) URL"}
	}
	st := filestack.StoreOptions{Location: s.cfg.Store.Location, Path: or(storePath, s.cfg.Store.Path),
		Container: s.cfg.Store.Container, Region: s.cfg.Store.Region, Access: s.cfg.Store.Access}
	f, err := s.conn.client.StoreURL(ctx, u, filestack.UploadOptions{Store: st})
	if err != nil {
		r := failure("", remoteError(u, err))
		r.Path = u
		return r
	}
	e := store.Entry{Handle: f.Handle, Filename: f.Filename, Size: f.Size, Mimetype: f.Mimetype, Uploaded: time.Now(),
		Source: store.SourceURL, StorePath: st.Path}
	r := entryResult(s, e, statusStored)
	r.Path = u
	if err := s.ledger.Add(ctx, s.scope(), e); err != nil {
		r.Status, r.Error = statusFailed, "stored as "+f.Handle+", but recording it in the ledger failed: "+err.Error()
	}
	return r
}

func rmCommand(ctx context.Context, io *stdio) *cobra.Command {
	var cf connFlags
	var of outFlags
	var yes, forgetOnly bool
	cmd := &cobra.Command{
		Use:   "rm HANDLE…",
		Short: "Delete files on Filestack (needs the app secret) and from the ledger",
		Long: `Delete files on Filestack and from the ledger. It asks first unless --yes;
when standard input is not a terminal it refuses without --yes.
--forget-only removes the files from the ledger and leaves them on Filestack.`,
		Args:              minArgs(1, "at least one HANDLE"),
		ValidArgsFunction: completeHandles,
		RunE: func(_ *cobra.Command, args []string) error {
			if !yes && !io.inIsTerminal() {
				return usageError("rm: standard input is not a terminal, so there is no one to ask; add --yes to delete")
			}
			s, err := openSession(cf)
			if err != nil {
				return err
			}
			defer s.close()
			if !yes {
				if err := confirmRemove(ctx, io, s, args, forgetOnly); err != nil {
					return err
				}
			}
			return eachHandle(ctx, s, s.printer(of, io, nil), args, func(ctx context.Context, s *session, h string) (result, error) {
				return removeHandle(ctx, s, h, forgetOnly)
			})
		},
	}
	cf.register(cmd)
	of.register(cmd, "handles")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask")
	cmd.Flags().BoolVar(&forgetOnly, "forget-only", false, "remove from the ledger only; the files stay on Filestack")
	return cmd
}

// confirmRemove asks on the terminal, naming each file (its name in the
// ledger and its handle; the first ten, then how many more) and where it
// is: Filestack, the local server in local mode, or the target.
func confirmRemove(ctx context.Context, io *stdio, s *session, args []string, forgetOnly bool) error {
	where := s.filesWhere()
	q := fmt.Sprintf("Delete %s on %s and from the ledger?", text.CountOf(len(args), "file"), where)
	if forgetOnly {
		q = fmt.Sprintf("Forget %s (%s on %s)?", text.CountOf(len(args), "file"), itThey(len(args), "it stays", "they stay"), where)
	}
	fmt.Fprintln(io.err, q)
	for i, a := range args {
		if i == maxNamed {
			fmt.Fprintf(io.err, "  and %d more\n", len(args)-maxNamed)
			break
		}
		fmt.Fprintln(io.err, "  "+s.nameOf(ctx, a))
	}
	fmt.Fprint(io.err, "[y/N] ")
	line, _ := bufio.NewReader(io.in).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return fmt.Errorf("nothing deleted")
	}
	return nil
}

// maxNamed is how many files a question names one by one.
const maxNamed = 10

func itThey(n int, it, they string) string {
	if n == 1 {
		return it
	}
	return they
}

// filesWhere names where the session's target keeps its files, as a
// question about deleting them says it.
func (s *session) filesWhere() string {
	switch {
	case s.host != nil && s.host.local:
		return s.host.info.Title + " (the local server's stand-in)"
	case s.host != nil:
		return s.host.info.Title
	case s.conn.mode == ui.ModeLocal:
		return "the local server"
	}
	return "Filestack"
}

// nameOf is how a question names an argument of rm: "a.txt (HANDLE)"
// when the ledger knows it, else the argument as given (sanitised).
func (s *session) nameOf(ctx context.Context, arg string) string {
	h, ok := filestack.ParseHandle(arg)
	if s.host != nil {
		h, ok = hostID(ctx, s, arg)
	}
	if !ok {
		return text.Sanitize(arg) + " (not a " + s.targetTitle() + " handle or URL)"
	}
	e, err := s.ledger.Get(ctx, s.scope(), h)
	switch {
	case err != nil:
		return text.Sanitize(h) + " (not in the ledger)"
	case e.Filename == "":
		return text.Sanitize(h)
	}
	return text.Sanitize(e.Filename) + " (" + text.Sanitize(h) + ")"
}

func removeHandle(ctx context.Context, s *session, h string, forgetOnly bool) (result, error) {
	if s.host != nil {
		return hostRemove(ctx, s, h, forgetOnly)
	}
	e, lerr := s.ledger.Get(ctx, s.scope(), h)
	if lerr != nil {
		e = store.Entry{Handle: h}
	}
	status := statusForgot
	if !forgetOnly {
		if err := s.conn.client.Delete(ctx, h); err != nil {
			return result{}, getError(ctx, s, h, err)
		}
		status = statusDeleted
	} else if lerr != nil {
		return result{}, fmt.Errorf("%s: not in the ledger", h)
	}
	if err := s.ledger.Remove(ctx, s.scope(), h); err != nil {
		return result{}, fmt.Errorf("removing from the ledger: %w", err)
	}
	return entryResult(s, e, status), nil
}
