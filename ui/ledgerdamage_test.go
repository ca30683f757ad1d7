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

// A damaged ledger (opened read-only) is not listed as "nothing uploaded
// yet": the remote pane says it is damaged, read-only, and to run doctor.
func TestRemotePaneSaysTheLedgerIsDamaged(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
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
	defer damaged.Close()
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
