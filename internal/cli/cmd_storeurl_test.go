package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// store-url stores what the server fetches and names a bad URL, going on
// with the rest. The local server refuses loopback URLs unless
// FSDECK_ALLOW_PRIVATE_URLS allows them, and says so.
func TestCLIStoreURL(t *testing.T) {
	c := newCLI(t)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("fetched body"))
	}))
	defer src.Close()
	out, errOut, code := c.run("", "store-url", src.URL+"/note.txt")
	if code != 1 || !strings.Contains(errOut, "FSDECK_ALLOW_PRIVATE_URLS") {
		t.Fatalf("loopback URL without FSDECK_ALLOW_PRIVATE_URLS: %d %q %q", code, out, errOut)
	}
	c.extraEnv = []string{"FSDECK_ALLOW_PRIVATE_URLS=1"}
	out, errOut, code = c.run("", "store-url", "--json", "ftp://example/x", src.URL+"/note.txt")
	rs := byPath(clitest.JSONLines[result](t, out, clitest.ResultFields...))
	if code != 1 || rs["ftp://example/x"].Error != "not an http(s) URL" || rs[src.URL+"/note.txt"].Status != statusStored ||
		rs[src.URL+"/note.txt"].Size != 12 {
		t.Fatalf("%d %q %q", code, out, errOut)
	}
	got, _, _ := c.run("", "get", "--stdout", rs[src.URL+"/note.txt"].Handle)
	if got != "fetched body" {
		t.Errorf("content %q", got)
	}
}
