package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// runDoctor checks the ledger; when SQLite finds it damaged, it backs the
// file up with the time in its name and rebuilds a fresh ledger from the
// rows that can still be read, saying how many.
func runDoctor(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			fmt.Fprintln(stdout, "fsdeck doctor: check the ledger; if it is damaged, back it up and rebuild it (quit fsdeck first)")
			return nil
		}
		return usageError("doctor takes no arguments")
	}
	paths, err := store.DefaultPaths(os.Getenv)
	if err != nil {
		return err
	}
	path := paths.LedgerPath()
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stdout, "no ledger at %s yet: nothing to check\n", path)
		return nil
	}
	l, err := store.Open(path)
	if err != nil {
		return err
	}
	damage := l.Damaged()
	if damage == nil {
		files, jobs, downs, marks, err := l.Counts(ctx)
		l.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "the ledger %s is healthy: %s\n", path, ledgerCounts(files, jobs, downs, marks))
		return nil
	}
	l.Close()
	fmt.Fprintf(stdout, "the ledger %s is damaged (%v)\n", path, damage.Err)
	// Replacing the file under a running fsdeck would lose what it writes
	// next (and it would keep the old, damaged file open).
	unlock, err := store.OwnLedger(paths, time.Second)
	if errors.Is(err, store.ErrLedgerBusy) {
		return fmt.Errorf("fsdeck is running with %s (the TUI or a command); quit it, then run fsdeck doctor again", paths.Data)
	}
	if err != nil {
		return err
	}
	defer unlock()
	r, err := store.Rebuild(ctx, path, time.Now())
	if err != nil {
		return fmt.Errorf("rebuilding the ledger: %w", err)
	}
	fmt.Fprintf(stdout, "backed up to %s\nrebuilt %s with %s salvaged\n",
		r.Backup, path, ledgerCounts(r.Files, r.Jobs, r.Downloads, r.Bookmarks))
	if r.Damaged > 0 {
		fmt.Fprintf(stdout, "%d damaged %s could not be read; the rows there are lost\n", r.Damaged, pick(r.Damaged, "stretch", "stretches"))
	}
	if r.Garbled > 0 {
		fmt.Fprintf(stdout, "%s garbage and %s left out\n", pick(r.Garbled, "1 row held", fmt.Sprint(r.Garbled)+" rows held"), pick(r.Garbled, "was", "were"))
	}
	if len(r.Unreadable) > 0 {
		fmt.Fprintf(stdout, "could not read at all: %s\n", strings.Join(r.Unreadable, ", "))
	}
	return nil
}

// ledgerCounts words what a ledger holds: "1 file, 2 unfinished uploads, …".
func ledgerCounts(files, jobs, downs, marks int) string {
	return ui.CountOf(files, "file") + ", " + ui.CountOf(jobs, "unfinished upload") + ", " +
		ui.CountOf(downs, "unfinished download") + ", " + ui.CountOf(marks, "bookmark")
}
