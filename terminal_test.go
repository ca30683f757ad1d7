package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without a terminal, fsdeck says so and exits non-zero before writing a
// single byte to standard output (no alternate screen, no mouse modes).
func TestNeedsATerminal(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FSDECK_DATA_DIR", dir)
	t.Setenv("FSDECK_CONFIG_DIR", dir)
	t.Setenv("FILESTACK_API_KEY", "")
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	out, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var errb bytes.Buffer
	err = run(context.Background(), []string{"--local", "--addr", "127.0.0.1:0"}, devnull, out, &errb)
	code := exitCode(err, &errb)
	if code == 0 || !strings.Contains(errb.String(), "fsdeck needs a terminal, and its standard input is not one") ||
		!strings.Contains(errb.String(), "fsdeck serve") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if b, _ := os.ReadFile(out.Name()); len(b) != 0 {
		t.Fatalf("wrote %q to a non-terminal", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "ledger.db")); err == nil {
		t.Fatal("opened the ledger before checking for a terminal")
	}
}
