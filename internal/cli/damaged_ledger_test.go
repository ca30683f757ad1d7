package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// Every command that reads the ledger refuses a damaged one with the
// damage and the remedy (exit 1), instead of printing what little it
// could read as if that were the ledger; doctor then rebuilds it.
func TestDamagedLedgerFailsEveryCommandLoudly(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	note := c.file("notes.txt", []byte("keep me"))
	var handle string
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		out, errs, code := c.run("", "upload", "-q", c.file(name, []byte("data of "+name)))
		if code != 0 {
			t.Fatalf("upload: %d %s", code, errs)
		}
		handle = strings.TrimSpace(out)
	}
	// The new user's repro: 2,000 stray bytes at offset 12288.
	ledger := filepath.Join(c.data, "ledger.db")
	f, err := os.OpenFile(ledger, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, 500), 12288)
	f.Close()
	for _, args := range [][]string{
		{"ls"}, {"ls", "--json"}, {"upload", note}, {"stat", handle}, {"url", handle, "--json"},
		{"get", handle}, {"rm", "--yes", handle}, {"import", handle},
	} {
		out, errs, code := c.run("", args...)
		if code != 1 || out != "" || !strings.Contains(errs, "damaged") || !strings.Contains(errs, "fsdeck doctor") {
			t.Errorf("fsdeck %v on a damaged ledger: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	if b, err := os.ReadFile(note); err != nil || string(b) != "keep me" {
		t.Fatalf("the file to upload: %q %v", b, err)
	}
	if out, errs, code := c.run("", "doctor"); code != 0 || !strings.Contains(out, "rebuilt") {
		t.Fatalf("doctor: %d %s %s", code, out, errs)
	}
	if out, errs, code := c.run("", "ls", "-q"); code != 0 || !strings.Contains(out, handle) {
		t.Fatalf("ls after doctor: %d %q %s", code, out, errs)
	}
}

// An emptied ledger.db (zero bytes) is damage, not a new ledger: every
// command says so and names fsdeck doctor, instead of ls showing nothing
// and doctor calling it healthy; doctor rebuilds it and brings back the
// files local mode's server still stores.
func TestEmptiedLedgerIsDamage(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	var handles []string
	for _, name := range []string{"a.txt", "b.txt"} {
		out, errs, code := c.run("", "upload", "-q", c.file(name, []byte("data of "+name)))
		if code != 0 {
			t.Fatalf("upload: %d %s", code, errs)
		}
		handles = append(handles, strings.TrimSpace(out))
	}
	ledger := filepath.Join(c.data, "ledger.db")
	if err := os.Truncate(ledger, 0); err != nil {
		t.Fatal(err)
	}
	os.Remove(ledger + "-wal")
	note := c.file("notes.txt", []byte("keep me"))
	for _, args := range [][]string{
		{"ls"}, {"ls", "--json"}, {"upload", note}, {"stat", handles[0]}, {"url", handles[0], "--json"},
		{"get", handles[0]}, {"rm", "--yes", handles[0]}, {"import", handles[0]},
	} {
		out, errs, code := c.run("", args...)
		if code != 1 || out != "" || !strings.Contains(errs, "empty") || !strings.Contains(errs, "fsdeck doctor") {
			t.Errorf("fsdeck %v on an emptied ledger: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	out, errs, code := c.run("", "doctor")
	if code != 0 || !strings.Contains(out, "damaged") || !strings.Contains(out, "rebuilt") || !strings.Contains(out, "restored 2 files") {
		t.Fatalf("doctor: %d %s %s", code, out, errs)
	}
	if out, errs, code := c.run("", "ls", "-q"); code != 0 || !strings.Contains(out, handles[0]) || !strings.Contains(out, handles[1]) {
		t.Fatalf("ls after doctor: %d %q %s", code, out, errs)
	}
	if out, _, code := c.run("", "doctor"); code != 0 || !strings.Contains(out, "healthy") {
		t.Fatalf("doctor after the rebuild: %d %s", code, out)
	}
}
