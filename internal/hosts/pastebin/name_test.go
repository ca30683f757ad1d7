package pastebin

import (
	"context"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// The result names the paste by the file's own name, byte for byte: the
// ledger keeps it and the interface makes control characters visible when
// it shows it (an ESC turned into a space here was shown as a space).
func TestResultKeepsTheExactFileName(t *testing.T) {
	_, c := setup(t, EmulatorOptions{})
	name := "a\x1b[31mb\x07.txt"
	res, err := c.Upload(context.Background(), hosts.File{Name: name, Size: 2, Body: strings.NewReader("hi")}, hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Name != name {
		t.Fatalf("result name %q, want %q", res.Name, name)
	}
}
