package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// lsOptions are `fsdeck ls`'s flags.
type lsOptions struct {
	IO      *iostreams.IOStreams
	factory *Factory
	conn    connFlags
	out     outFlags
	sortBy  string
	filter  string
}

// newCmdLs is `fsdeck ls`.
func newCmdLs(f *Factory, runF func(context.Context, *lsOptions) error) *cobra.Command {
	opts := &lsOptions{IO: f.IOStreams, factory: f}
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List the remote files in the ledger for the target, endpoint and key (with the server's list where the target has one)",
		Args:  noArgs,
		RunE:  runE(opts, nil, runF, runLs),
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, "handles")
	cmd.Flags().StringVar(&opts.sortBy, "sort", "date", "order: date (newest first), name, size, type")
	cmd.Flags().StringVar(&opts.filter, "filter", "", "only file names matching this glob (case-insensitive), e.g. '*.png'")
	cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions([]string{"date", "name", "size", "type"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// runLs prints the ledger's files for the session's target, with the
// server's list where the target has one.
func runLs(ctx context.Context, o *lsOptions) error {
	io, filter := o.IO, o.filter
	if _, err := filepath.Match(filter, ""); err != nil {
		return usageError("--filter %q: %v", filter, err)
	}
	if err := sortEntries(nil, o.sortBy); err != nil {
		return err
	}
	s, err := openSession(o.factory, o.conn)
	if err != nil {
		return err
	}
	defer s.close()
	p := s.printer(o.out, io, nil)
	p.ledgerCols = true
	add := func(e store.Entry) {
		if ok, _ := filepath.Match(strings.ToLower(filter), strings.ToLower(e.Filename)); filter != "" && !ok {
			return
		}
		status := statusOK
		if e.Gone {
			status = statusGone
		}
		p.add(entryResult(s, e, status))
	}
	if _, ok := s.Target.Service.(hosts.Lister); !ok || !s.Target.Caps().List {
		// The ledger alone: its rows stream from SQLite's cursor, sorted
		// there, each printed as it is read, so a ledger of 100,000
		// files lists in the memory of one (a table of blocks of rows).
		for e, err := range s.Ledger.Entries(ctx, s.scope(), o.sortBy) {
			if err != nil {
				p.flush()
				return err
			}
			add(e)
		}
		return p.flush()
	}
	// With the server's list, merged with the ledger's and sorted whole
	// (at most serverListMax pages of it).
	entries, err := s.Ledger.List(ctx, s.scope())
	if err != nil {
		return err
	}
	entries, listErr := serverList(ctx, s, entries)
	if err := sortEntries(entries, o.sortBy); err != nil {
		return err
	}
	for _, e := range entries {
		add(e)
	}
	if listErr != nil {
		p.flush()
		fmt.Fprintln(io.ErrOut, "fsdeck: the server's list:", text.SanitizeLines(listErr.Error()))
		return errPartial
	}
	return p.flush()
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

// serverListMax bounds how many server pages ls reads (100 items each).
const serverListMax = 20

// serverList adds a Lister target's server list to the ledger's entries:
// uploads made elsewhere (the web site, another machine) show too. Ledger
// entries win (they know the local path). A target without a list gives
// the entries back as they are.
func serverList(ctx context.Context, s *session, entries []store.Entry) ([]store.Entry, error) {
	l, ok := s.Target.Service.(hosts.Lister)
	if !ok || !s.Target.Caps().List {
		return entries, nil
	}
	have := make(map[string]bool, len(entries))
	for _, e := range entries {
		have[e.Handle] = true
	}
	for page, seen := 1, 0; page <= serverListMax; page++ {
		items, total, err := l.List(ctx, page, 100)
		if err != nil {
			return entries, targetError(err)
		}
		for _, r := range items {
			if !have[r.ID] {
				have[r.ID] = true
				entries = append(entries, s.resultEntry(r, store.Entry{Source: store.SourceImport}))
			}
		}
		if seen += len(items); len(items) == 0 || seen >= total {
			break
		}
	}
	return entries, nil
}
