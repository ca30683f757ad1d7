package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
)

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

// A damaged ledger (opened read-only) is not listed as "nothing uploaded
// yet": the remote pane says it is damaged, read-only, and to run doctor.
func TestRemotePaneSaysTheLedgerIsDamaged(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	damaged := damagedLedger(t, e)
	d := e.deps(t.TempDir())
	d.Ledger = damaged
	p := NewRemotePane(testEnvOf(d))
	p.SetSize(60, 20)
	p, _ = p.Update(p.Reload()())
	v := strings.Join(strings.Fields(p.View()), " ")
	for _, want := range []string{"damaged", "read-only this session", "fsdeck doctor"} {
		if !strings.Contains(v, want) {
			t.Errorf("pane does not say %q:\n%s", want, p.View())
		}
	}
	if strings.Contains(v, "nothing uploaded yet") || p.Len() != 0 {
		t.Errorf("a damaged ledger listed as if read:\n%s", p.View())
	}
}

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

// A file removed from the ledger by another process (fsdeck rm) is not
// then shown as "only on the server" from the service's list fetched
// before: it was most likely deleted there too.
func TestRemovedElsewhereNotShownAsServerOnly(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	p := NewRemotePane(testEnvOf(e.deps(t.TempDir())))
	p.SetSize(80, 20)
	p.server = []hosts.Result{{ID: "gone1", Name: "gone.txt"}, {ID: "other", Name: "other.txt"}}
	p.ledger = []store.Entry{{Handle: "gone1", Filename: "gone.txt", Added: fixedNow}}
	p.merge()
	p.listID++
	p = p.onListed(remoteListedMsg{id: p.listID})
	if p.serverOnly["gone1"] || !p.serverOnly["other"] || p.Len() != 1 {
		t.Fatalf("server only %v, %d rows", p.serverOnly, p.Len())
	}
}
