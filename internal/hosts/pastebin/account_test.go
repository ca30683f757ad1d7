package pastebin

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

func loginClient(t *testing.T, base, pass string) *Account {
	t.Helper()
	tg, err := Info().New(hosts.Config{BaseURL: base, Key: testKey, MinInterval: time.Millisecond,
		Login: &hosts.Login{User: "ann", Password: hosts.Key(pass)}})
	if err != nil {
		t.Fatal(err)
	}
	a, ok := tg.(*Account)
	if !ok {
		t.Fatalf("a client with a login is %T, want *Account", tg)
	}
	return a
}

// With a login, pastes are the account's: private ones can be made, the
// list shows them (newest first, with their fields) and delete removes
// them; another account cannot delete them.
func TestLoginPrivateListDelete(t *testing.T) {
	srv, guest := setup(t, EmulatorOptions{Logins: map[string]string{"ann": "pw-ann", "bob": "pw-bob"}})
	base := srv.URL + "/pastebin"
	if c := guest.Capabilities(); c.Delete || c.List {
		t.Fatalf("without a login: %+v", c)
	}
	tg, _ := Info().New(hosts.Config{BaseURL: base, Key: testKey})
	if _, d := tg.(hosts.Deleter); d {
		t.Fatalf("a client without a login is a Deleter: %T", tg)
	}
	if _, l := tg.(hosts.Lister); l {
		t.Fatalf("a client without a login is a Lister: %T", tg)
	}
	if _, err := upload(guest, "x", hosts.UploadOptions{Privacy: hosts.Private}, nil); !errors.Is(err, hosts.ErrRejected) ||
		!strings.Contains(err.Error(), "--login") {
		t.Fatalf("private without login: %v", err)
	}
	c := loginClient(t, base, "pw-ann")
	if cp := c.Capabilities(); !cp.Delete || !cp.List {
		t.Fatalf("with a login: %+v", cp)
	}
	pub, err := upload(c.Client, "public text", hosts.UploadOptions{Expiry: time.Hour}, nil)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := upload(c.Client, "secret text", hosts.UploadOptions{Privacy: hosts.Private}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(priv.Links) != 0 {
		t.Fatalf("a private paste has a raw link: %+v", priv.Links)
	}
	if code, _ := get(t, srv, base+"/raw/"+priv.ID); code != 404 {
		t.Fatalf("private paste served raw: %d", code)
	}
	items, total, err := c.List(context.Background(), 1, 10)
	if err != nil || total != 2 || len(items) != 2 {
		t.Fatalf("list: %+v %d %v", items, total, err)
	}
	byID := map[string]hosts.Result{}
	for _, it := range items {
		byID[it.ID] = it
	}
	if p := byID[pub.ID]; p.URL != pub.URL || p.Size != 11 || p.Name != "notes.txt" || p.Expires.IsZero() || len(p.Links) != 1 {
		t.Fatalf("listed public paste: %+v", p)
	}
	if p := byID[priv.ID]; p.URL != priv.URL || len(p.Links) != 0 {
		t.Fatalf("listed private paste: %+v", p)
	}
	if page2, total, _ := c.List(context.Background(), 2, 1); len(page2) != 1 || total != 2 {
		t.Fatalf("page 2: %+v %d", page2, total)
	}
	bob := loginClient(t, base, "pw-bob")
	bob.login.User = "bob"
	if err := bob.Delete(context.Background(), pub.ID); !errors.Is(err, hosts.ErrRejected) || !strings.Contains(err.Error(), ErrNoPermision) {
		t.Fatalf("bob deletes ann's paste: %v", err)
	}
	if err := c.Delete(context.Background(), pub.ID); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, srv, pub.URL[:strings.LastIndex(pub.URL, "/")]+"/raw/"+pub.ID); code != 404 {
		t.Fatalf("deleted paste still served: %d", code)
	}
	if items, total, _ := c.List(context.Background(), 1, 10); total != 1 || items[0].ID != priv.ID {
		t.Fatalf("after delete: %+v", items)
	}
}

// A wrong password is an auth error that does not quote the password.
func TestBadLoginIsAuth(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{Logins: map[string]string{"ann": "pw-ann"}})
	c := loginClient(t, srv.URL+"/pastebin", "wrong-pass")
	_, _, err := c.List(context.Background(), 1, 10)
	if !errors.Is(err, hosts.ErrAuth) || !strings.Contains(err.Error(), ErrBadLogin) || strings.Contains(err.Error(), "wrong-pass") {
		t.Fatalf("err = %v", err)
	}
}

// Without configured accounts (local mode), any user logs in with an
// accepted key as the password.
func TestEmulatorLoginWithKey(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{})
	c := loginClient(t, srv.URL+"/pastebin", testKey)
	if _, err := upload(c.Client, "mine", hosts.UploadOptions{Privacy: hosts.Private}, nil); err != nil {
		t.Fatal(err)
	}
	if items, _, err := c.List(context.Background(), 1, 5); err != nil || len(items) != 1 {
		t.Fatalf("list: %+v %v", items, err)
	}
}
