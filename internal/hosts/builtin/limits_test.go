package builtin

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/pastebin"
)

// pastes makes n unlisted pastes through the mounted Pastebin and
// returns the first reply that is not a paste URL ("" when all were).
func pastes(t *testing.T, srv *httptest.Server, n int) string {
	t.Helper()
	for i := range n {
		resp, err := srv.Client().PostForm(srv.URL+"/pastebin/api/api_post.php", url.Values{"api_dev_key": {"k"},
			"api_option": {"paste"}, "api_paste_code": {"paste " + strconv.Itoa(i)}, "api_paste_private": {"1"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(string(b), srv.URL+"/pastebin/") {
			return string(b)
		}
	}
	return ""
}

// ddownloadCalls makes n file/list calls at once and counts the 429s.
func ddownloadCalls(t *testing.T, srv *httptest.Server, n int) int {
	t.Helper()
	limited := 0
	for range n {
		resp, err := srv.Client().Get(srv.URL + "/ddownload/api/file/list?key=k")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	return limited
}

// The services' limits are on by default: an eleventh paste in a day is
// refused and DDownload answers 429 past 4 calls a second.
func TestServiceLimitsOnByDefault(t *testing.T) {
	srv := httptest.NewServer(MountWithin(http.NotFoundHandler(), hosts.EmulatorSetup{Keys: []string{"k"}, Dir: t.TempDir()}))
	defer srv.Close()
	if got := pastes(t, srv, 11); got != pastebin.ErrDailyLimit {
		t.Fatalf("eleventh paste: %q, want the daily limit", got)
	}
	if ddownloadCalls(t, srv, 8) == 0 {
		t.Fatal("8 DDownload calls at once were all answered")
	}
}

// Unlimited (fsdeck serve --limits off) lifts the daily cap, the count
// quotas and the pacing; UnlimitedFor lifts them for the named services
// only.
func TestServiceLimitsLifted(t *testing.T) {
	srv := httptest.NewServer(MountWithin(http.NotFoundHandler(), hosts.EmulatorSetup{Keys: []string{"k"}, Dir: t.TempDir(), Unlimited: true}))
	defer srv.Close()
	if got := pastes(t, srv, 30); got != "" {
		t.Fatalf("with limits off, a paste was refused: %q", got)
	}
	if n := ddownloadCalls(t, srv, 12); n != 0 {
		t.Fatalf("with limits off, %d DDownload calls were refused", n)
	}
	only := httptest.NewServer(MountWithin(http.NotFoundHandler(), hosts.EmulatorSetup{Keys: []string{"k"}, Dir: t.TempDir(),
		UnlimitedFor: []string{"pastebin"}}))
	defer only.Close()
	if got := pastes(t, only, 12); got != "" {
		t.Fatalf("with pastebin's limits off, a paste was refused: %q", got)
	}
	if ddownloadCalls(t, only, 8) == 0 {
		t.Fatal("with only pastebin's limits off, DDownload's pacing went too")
	}
}
