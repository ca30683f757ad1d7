package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
)

// With a damaged (read-only) ledger an upload is refused before anything
// is sent: it would reach the server and then fail to be recorded, a file
// no list shows.
func TestDamagedLedgerRefusesUploads(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	damaged := damagedLedger(t, e)
	dir := t.TempDir()
	putFile(t, dir, "b.txt", []byte("hello"))
	d := e.deps(dir)
	d.Ledger = damaged
	m := startModel(t, d)
	m = press(t, m, keyRunes("u"))
	if jobCount(m) != 0 || !strings.Contains(statusText(m), "not uploading: the ledger") || !strings.Contains(statusText(m), "fsdeck doctor") {
		t.Fatalf("%d jobs, status %q", jobCount(m), statusText(m))
	}
	if n := len(e.emu.Requests()); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
}

// damagedLedger is a ledger with one row of e's scope, damaged on disk
// and opened again (read-only, as SQLite reports the damage).
func damagedLedger(t *testing.T, e *testEnv) *store.Ledger {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l.Add(context.Background(), e.scope, store.Entry{Handle: handleN(1), Filename: "a.txt", Added: fixedNow})
	l.Close()
	f, _ := os.OpenFile(path, os.O_WRONLY, 0)
	f.WriteAt(bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, 500), 12288)
	f.Close()
	damaged, err := store.Open(path)
	if err != nil || damaged.Damaged() == nil {
		t.Fatalf("not opened as damaged: %v", err)
	}
	t.Cleanup(func() { damaged.Close() })
	return damaged
}
