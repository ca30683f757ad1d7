package cli

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startServeWith runs `fsdeck serve` on a free loopback port with extra
// flags and returns its base URL, its banner so far and its data
// directory; serve stops (SIGTERM) at the end of the test.
func startServeWith(t *testing.T, scheme string, args ...string) (base string, banner *lockedBuffer, data string) {
	t.Helper()
	return startServeWithData(t, t.TempDir(), scheme, args...)
}

// startServeWithData is startServeWith on a given data directory.
func startServeWithData(t *testing.T, data, scheme string, args ...string) (base string, banner *lockedBuffer, _ string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- runStd(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--apikey", serveKey, "--quiet"}, args...),
			nil, out, io.Discard)
	}()
	t.Cleanup(func() { cancel(); <-done })
	re := regexp.MustCompile(`on (` + scheme + `://127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1], out, data
		}
	}
	t.Fatalf("no banner: %q", out.String())
	return "", nil, ""
}

// pasteN makes n pastes through serve's Pastebin and returns the first
// reply that is not a paste URL ("" when none).
func pasteN(t *testing.T, base string, n int) string {
	t.Helper()
	for i := range n {
		res, err := http.PostForm(base+"/pastebin/api/api_post.php", url.Values{"api_dev_key": {serveKey},
			"api_option": {"paste"}, "api_paste_code": {"paste " + strconv.Itoa(i)}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.HasPrefix(string(b), base+"/pastebin/") {
			return string(b)
		}
	}
	return ""
}

// serve keeps the services' limits by default; --limits off lifts them
// (an eleventh paste in a day goes through) and the banner says so.
func TestServeLimitsOff(t *testing.T) {
	base, _, _ := startServeWith(t, "http")
	if got := pasteN(t, base, 11); !strings.Contains(got, "maximum pastes per 24h") {
		t.Fatalf("eleventh paste by default: %q", got)
	}
	base, banner, _ := startServeWith(t, "http", "--limits", "off")
	if got := pasteN(t, base, 15); got != "" {
		t.Fatalf("with --limits off a paste was refused: %q", got)
	}
	if !strings.Contains(banner.String(), "limits    off for ddownload, gofile, gyazo, imgbb, pastebin") {
		t.Fatalf("banner: %q", banner.String())
	}
	base, banner, _ = startServeWith(t, "http", "--limits", "off,pastebin=on")
	if got := pasteN(t, base, 11); !strings.Contains(got, "maximum pastes per 24h") {
		t.Fatalf("with pastebin=on the eleventh paste: %q", got)
	}
	if !strings.Contains(banner.String(), "limits    off for ddownload, gofile, gyazo, imgbb (no") {
		t.Fatalf("banner: %q", banner.String())
	}
}

// A --limits value that names no service, or no state, is a usage error
// naming the choices.
func TestServeLimitsBadValue(t *testing.T) {
	for _, v := range []string{"maybe", "pastebin=maybe", "filestack=off", "nosuch=off"} {
		c := newCLI(t)
		_, errOut, code := c.run("", "serve", "--quiet", "--addr", "127.0.0.1:0", "--limits", v)
		if code == 0 || !strings.Contains(errOut, "pastebin") {
			t.Errorf("--limits %s: exit %d, %q", v, code, errOut)
		}
	}
}
