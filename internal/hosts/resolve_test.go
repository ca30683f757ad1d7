package hosts

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

// TestResolveAppliesDefaults: an empty Config gets the service's base URL,
// a plain HTTP client and the target's request spacing; what is set wins,
// and a trailing slash never doubles up in request paths.
func TestResolveAppliesDefaults(t *testing.T) {
	c, err := Config{}.Resolve("x", "https://api.example", time.Second)
	if err != nil || c.Base != "https://api.example" || c.HTTP == nil || c.Pace == nil {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
	hc := &http.Client{}
	c, err = Config{BaseURL: "http://127.0.0.1:9/x/", HTTP: hc, MinInterval: time.Millisecond}.Resolve("x", "https://api.example", time.Second)
	if err != nil || c.Base != "http://127.0.0.1:9/x" || c.HTTP != hc {
		t.Fatalf("overrides: %+v, %v", c, err)
	}
	if _, err := (Config{BaseURL: "http://[::1"}).Resolve("x", "", 0); err == nil {
		t.Fatal("a malformed base URL was accepted")
	}
}

// TestResolveKeyedWantsTheKey: a keyed target without its key is an
// authentication error naming the key; with one it resolves as Resolve.
func TestResolveKeyedWantsTheKey(t *testing.T) {
	_, err := Config{}.ResolveKeyed("x", "access token", "https://api.example", time.Second)
	var he *Error
	if !errors.Is(err, ErrAuth) || !errors.As(err, &he) || he.Target != "x" || he.Msg != "no access token set" {
		t.Fatalf("no key: %v, want x's authentication error \"no access token set\"", err)
	}
	c, err := Config{Key: "k"}.ResolveKeyed("x", "access token", "https://api.example", time.Second)
	if err != nil || c.Base != "https://api.example" || c.HTTP == nil || c.Pace == nil {
		t.Fatalf("with a key: %+v, %v", c, err)
	}
}
