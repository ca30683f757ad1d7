package hosts

import (
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
