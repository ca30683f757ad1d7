package pastebin

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Stat finds a paste while it exists and answers ErrNotFound once it has
// expired (a guest client, by the raw URL) or was deleted (an account,
// through api_raw.php, private pastes included); deleting a paste that is
// gone is ErrNotFound too, not a permission error.
func TestStatAndDeleteOfGonePastes(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	srv, guest := setup(t, EmulatorOptions{Now: clk.now, Logins: map[string]string{"ann": "pw-ann"}})
	if !guest.Capabilities().Stat {
		t.Fatal("Capabilities.Stat is false")
	}
	short, err := upload(guest, "brief text", hosts.UploadOptions{Expiry: 10 * time.Minute}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := guest.Stat(context.Background(), short.ID); err != nil || r.Size != int64(len("brief text")) {
		t.Fatalf("stat of a live paste: %+v %v", r, err)
	}
	clk.add(11 * time.Minute)
	if _, err := guest.Stat(context.Background(), short.ID); !errors.Is(err, hosts.ErrNotFound) {
		t.Fatalf("stat of an expired paste: %v", err)
	}

	acct := loginClient(t, srv.URL+"/pastebin", "pw-ann")
	// Ending in a newline: the size counts it (a trimmed reply lost it).
	priv, err := upload(acct.Client, "private text\n", hosts.UploadOptions{Privacy: hosts.Private}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := acct.Stat(context.Background(), priv.ID); err != nil || r.Size != int64(len("private text\n")) {
		t.Fatalf("stat of a private paste: %+v %v", r, err)
	}
	pub, err := upload(guest, "guest paste", hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acct.Stat(context.Background(), pub.ID); err != nil {
		t.Fatalf("an account's stat of a paste it does not own: %v", err)
	}
	if err := acct.Delete(context.Background(), priv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := acct.Stat(context.Background(), priv.ID); !errors.Is(err, hosts.ErrNotFound) {
		t.Fatalf("stat of a deleted paste: %v", err)
	}
	if err := acct.Delete(context.Background(), priv.ID); !errors.Is(err, hosts.ErrNotFound) {
		t.Fatalf("deleting a gone paste: %v", err)
	}
	if err := acct.Delete(context.Background(), pub.ID); errors.Is(err, hosts.ErrNotFound) || err == nil {
		t.Fatalf("deleting another's live paste: %v, want the permission error", err)
	}
}
