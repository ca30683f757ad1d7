package ddownload

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// file/info describes the key's own file; an unknown code, or another
// key's file, is ErrNotFound.
func TestStatFileInfo(t *testing.T) {
	srv, c := setup(t, EmulatorOptions{Keys: []string{testKey, "other-key"}}, time.Millisecond)
	res, err := send(c, "report.bin", []byte("0123456789"), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Stat(context.Background(), res.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != res.ID || got.Name != "report.bin" || got.Size != 10 || got.URL != res.URL || got.Created.IsZero() {
		t.Fatalf("stat: %+v, upload %+v", got, res)
	}
	if _, err := c.Stat(context.Background(), "nosuchcode00"); !errors.Is(err, hosts.ErrNotFound) {
		t.Fatalf("unknown code: %v", err)
	}
	other := client(t, srv, "other-key", time.Millisecond)
	if _, err := other.Stat(context.Background(), res.ID); !errors.Is(err, hosts.ErrNotFound) {
		t.Fatalf("another key's file: %v", err)
	}
	if !c.Capabilities().Stat {
		t.Fatal("Capabilities does not offer Stat")
	}
}
