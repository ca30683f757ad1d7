package pastebin

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Pastes, their expiry and logged-in user keys survive a restart: the
// server below swaps in a new emulator on the same directory at the same
// address, so a client's api_user_key from before still lists and
// deletes, and an expiry keeps counting across restarts.
func TestPastesAndUserKeysSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	boot := func() http.Handler {
		return NewEmulator(EmulatorOptions{Prefix: "/pastebin", Keys: []string{testKey}, Dir: dir, Now: clk.now,
			Logins: map[string]string{"ann": "pw-ann"}})
	}
	var cur atomic.Value
	cur.Store(boot())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { cur.Load().(http.Handler).ServeHTTP(w, r) }))
	defer srv.Close()
	c := loginClient(t, srv.URL+"/pastebin", "pw-ann")
	short, err := upload(c.Client, "gone in ten minutes", hosts.UploadOptions{Expiry: 10 * time.Minute}, nil)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := upload(c.Client, "kept text", hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}

	clk.add(5 * time.Minute)
	cur.Store(boot()) // a restart
	raw := func(r hosts.Result) (int, string) {
		resp, err := http.Get(hosts.BytesURL(c.Capabilities(), r.URL, r.Links))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, text := raw(kept); code != http.StatusOK || text != "kept text" {
		t.Fatalf("after a restart: %d %q", code, text)
	}
	items, total, err := c.List(context.Background(), 1, 10)
	if err != nil || total != 2 || len(items) != 2 {
		t.Fatalf("list with the user key from before the restart: %d of %d, %v", len(items), total, err)
	}

	clk.add(6 * time.Minute) // 11 minutes in all
	cur.Store(boot())
	if code, _ := raw(short); code != http.StatusNotFound {
		t.Fatalf("expired paste after a restart: HTTP %d", code)
	}
	if err := c.Delete(context.Background(), kept.ID); err != nil {
		t.Fatalf("delete after restarts: %v", err)
	}
	cur.Store(boot())
	if _, total, err := c.List(context.Background(), 1, 10); err != nil || total != 0 {
		t.Fatalf("after the delete and a restart: %d pastes, %v", total, err)
	}
}
