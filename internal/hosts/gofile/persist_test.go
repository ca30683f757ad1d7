package gofile

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Files, guest accounts and folders survive a restart: a new emulator on
// the same directory serves the bytes, takes the guest token for a new
// upload into the same folder and for a delete, and the state file holds
// no token in the clear.
func TestAccountsAndFilesSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	srv := setup(t, EmulatorOptions{Dir: dir, Tokens: []string{testToken}})
	guest := client(t, srv, "")
	data := bytes.Repeat([]byte{9, 0, 0xfe}, 7000)
	first, err := send(guest, "keep.bin", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := send(client(t, srv, testToken), "acct.txt", []byte("acct"), nil); err != nil {
		t.Fatal(err)
	}
	tok, folder := guest.GuestToken()
	srv.Close()

	srv2 := setup(t, EmulatorOptions{Dir: dir, Tokens: []string{testToken}})
	if code, got := fetch(t, srv2, first.ID, first.Name); code != 200 || !bytes.Equal(got, data) {
		t.Fatalf("download after a restart: %d, %d bytes", code, len(got))
	}
	again := client(t, srv2, tok)
	second, err := send(again, "more.txt", []byte("more"), nil)
	if err != nil {
		t.Fatalf("the guest token after a restart: %v", err)
	}
	if !strings.HasSuffix(second.URL, strings.TrimPrefix(first.URL, srv.URL)) {
		t.Fatalf("a new folder after a restart: %s vs %s (folder %s)", second.URL, first.URL, folder)
	}
	if err := again.Delete(context.Background(), first.ID); err != nil {
		t.Fatalf("delete after a restart: %v", err)
	}
	if code, _ := fetch(t, srv2, first.ID, first.Name); code != 404 {
		t.Fatalf("deleted file still served: %d", code)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "state.json"))
	if bytes.Contains(raw, []byte(tok.Reveal())) || bytes.Contains(raw, []byte(testToken)) {
		t.Fatal("the state file holds a token in the clear")
	}
	if !bytes.Contains(raw, []byte(hosts.Owner(testToken))) {
		t.Fatal("the account token's owner is not in the state file")
	}
}

// Without its state file GoFile still serves its files at their links,
// refuses to delete them (their owner is lost) without panicking, and
// answers error-notFound for an id it never had.
func TestMissingStateServesWhatItCan(t *testing.T) {
	dir := t.TempDir()
	srv := setup(t, EmulatorOptions{Dir: dir, Tokens: []string{testToken}})
	c := client(t, srv, testToken)
	res, err := send(c, "a.bin", []byte("kept bytes"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if err := os.Remove(filepath.Join(dir, "state.json")); err != nil {
		t.Fatal(err)
	}
	srv2 := setup(t, EmulatorOptions{Dir: dir, Tokens: []string{testToken}})
	if code, got := fetch(t, srv2, res.ID, res.Name); code != 200 || string(got) != "kept bytes" {
		t.Fatalf("after losing the state: %d %q", code, got)
	}
	c2 := client(t, srv2, testToken)
	for _, id := range []string{res.ID, "00000000000000000000000000000000"} {
		if err := c2.Delete(context.Background(), id); !errors.Is(err, hosts.ErrNotFound) {
			t.Fatalf("delete %s: %v", id, err)
		}
	}
}
