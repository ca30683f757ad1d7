package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// doctorOptions are `fsdeck doctor`'s (it has no flags).
type doctorOptions struct {
	IO      *iostreams.IOStreams
	factory *Factory
}

// newCmdDoctor is `fsdeck doctor`.
func newCmdDoctor(f *Factory, runF func(context.Context, *doctorOptions) error) *cobra.Command {
	opts := &doctorOptions{IO: f.IOStreams, factory: f}
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check the ledger; back up and rebuild it if damaged",
		Long: `Check the ledger; if it is damaged, back it up (ledger.db.damaged-TIME) and
rebuild it from the rows that can still be read, then restore what the
local server still stores. Quit fsdeck first: doctor refuses to replace a
ledger another fsdeck has open.`,
		Args: noArgs,
		RunE: runE(opts, nil, runF, runDoctor),
	}
}

// runDoctor checks the ledger; when SQLite finds it damaged, it backs the
// file up with the time in its name and rebuilds a fresh ledger from the
// rows that can still be read, saying how many.
func runDoctor(ctx context.Context, o *doctorOptions) error {
	stdout := o.IO.Out
	paths, err := o.factory.Paths()
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
		fmt.Fprintf(stdout, "%d damaged %s could not be read; the rows there are lost\n", r.Damaged, text.Plural(r.Damaged, "stretch", "stretches"))
	}
	if r.Garbled > 0 {
		fmt.Fprintf(stdout, "%s garbage and %s left out\n", text.Plural(r.Garbled, "1 row held", fmt.Sprint(r.Garbled)+" rows held"), text.Plural(r.Garbled, "was", "were"))
	}
	switch {
	case r.Empty:
		fmt.Fprintln(stdout, "the damaged file held no ledger at all (it was emptied, or lost its tables), so none of its rows could be salvaged")
	case len(r.Unreadable) > 0:
		fmt.Fprintf(stdout, "could not read at all: %s\n", strings.Join(r.Unreadable, ", "))
	}
	restoreFromServers(ctx, paths, stdout)
	return nil
}

// restoreFromServers adds to the rebuilt ledger what a server can still
// tell: the local server (local mode) keeps every file it stored with its
// metadata on this machine, so its rows come back whole. Filestack and
// the other services have no list doctor could read offline; the message
// says how those rows come back.
func restoreFromServers(ctx context.Context, paths store.Paths, stdout io.Writer) {
	if n, err := restoreLocalFiles(ctx, paths); err != nil {
		fmt.Fprintf(stdout, "could not restore the local server's files: %v\n", err)
	} else if n > 0 {
		fmt.Fprintf(stdout, "restored %s that the local server (local mode) still stores\n", text.CountOf(n, "file"))
	}
	fmt.Fprintln(stdout, "Filestack keeps no list of your files: add back those you know with fsdeck import HANDLE|URL "+
		"(fsdeck ls --to gyazo or --to ddownload lists those services' files from the server)")
}

// restoreLocalFiles adds the local server's stored files to the ledger
// under local mode's scope, leaving rows the ledger has as they are.
func restoreLocalFiles(ctx context.Context, paths store.Paths) (int, error) {
	dir := paths.EmulatorDir()
	b, err := os.ReadFile(filepath.Join(dir, "credentials.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil // local mode never ran here
	}
	var creds sess.LocalCreds
	if err != nil || json.Unmarshal(b, &creds) != nil || creds.APIKey == "" {
		return 0, fmt.Errorf("cannot read the local server's key in %s", dir)
	}
	files, err := emulator.StoredFiles(dir)
	if err != nil || len(files) == 0 {
		return 0, err
	}
	es := make([]store.Entry, 0, len(files))
	for _, f := range files {
		es = append(es, store.Entry{Handle: f.Handle, Filename: f.Filename, Size: f.Size, Mimetype: f.Mimetype,
			Uploaded: f.Uploaded, Added: f.Uploaded, Source: store.SourceImport, SHA256: f.SHA256,
			Width: f.Width, Height: f.Height, StorePath: f.Key})
	}
	l, err := store.Open(paths.LedgerPath())
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Restore(ctx, store.Scope{Endpoint: "local", KeyFP: store.Fingerprint(creds.APIKey)}, es)
}

// ledgerCounts words what a ledger holds: "1 file, 2 unfinished uploads, …".
func ledgerCounts(files, jobs, downs, marks int) string {
	return text.CountOf(files, "file") + ", " + text.CountOf(jobs, "unfinished upload") + ", " +
		text.CountOf(downs, "unfinished download") + ", " + text.CountOf(marks, "bookmark")
}
