package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/security"
	sess "github.com/fsdeck/fsdeck/internal/session"
)

// serveWith runs `fsdeck serve` with args on a free loopback port and
// returns its base URL and banner; it stops with the test.
func serveWith(t *testing.T, args ...string) (base, banner string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- runStd(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--quiet"}, args...), nil, out, io.Discard)
	}()
	t.Cleanup(func() { cancel(); <-done })
	re := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil && strings.Contains(out.String(), "Try:") {
			return m[1], out.String()
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("serve ended: %v", err)
		default:
		}
	}
	t.Fatalf("no banner: %q", out.String())
	return "", ""
}

// deleteWith stores a file under key, then deletes it with a policy signed
// by secret, and returns the delete's status: 200 only when the server
// accepts both.
func deleteWith(t *testing.T, base, key, secret string) int {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("fileUpload", "a.txt")
	fw.Write([]byte("hello"))
	mw.Close()
	res, err := http.Post(base+"/api/store/S3?key="+url.QueryEscape(key), mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		return res.StatusCode
	}
	handle := regexp.MustCompile(`"url":"[^"]*/([A-Za-z0-9_-]{20})"`).FindSubmatch(b)
	if handle == nil {
		t.Fatalf("store answered %s", b)
	}
	cr := security.Narrow(secret, "remove", string(handle[1]), time.Hour, time.Now())
	req, _ := http.NewRequest(http.MethodDelete, fmt.Sprintf("%s/api/file/%s?key=%s&policy=%s&signature=%s",
		base, handle[1], url.QueryEscape(key), cr.Policy, cr.Signature), nil)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// The key and secret can stay out of argv: FSDECK_SERVE_APIKEY and
// FSDECK_SERVE_SECRET are used, and the banner shows the secret's
// fingerprint, never the secret.
func TestServeCredentialsFromEnvironment(t *testing.T) {
	const k, s = "ENVKEYxxxxxxxxxxxxxxxx", "ENVSECRETyyyyyyyyyyyyyyyyy"
	t.Setenv(envServeAPIKey, k)
	t.Setenv(envServeSecret, s)
	base, banner := serveWith(t)
	if strings.Contains(banner, s) {
		t.Fatalf("the banner shows the secret:\n%s", banner)
	}
	if !strings.Contains(banner, secretFingerprint(s)) || !strings.Contains(banner, "from "+envServeSecret) {
		t.Fatalf("the banner should name the secret's fingerprint and where it came from:\n%s", banner)
	}
	if code := deleteWith(t, base, k, s); code != 200 {
		t.Fatalf("store and delete with the environment's key and secret: %d", code)
	}
}

// A secret given with --secret (still accepted) is never printed either.
func TestServeBannerNeverPrintsTheSecret(t *testing.T) {
	const s = "ARGVSECRETzzzzzzzzzzzzzzzz"
	_, banner := serveWith(t, "--apikey", serveKey, "--secret", s)
	if strings.Contains(banner, s) || !strings.Contains(banner, secretFingerprint(s)) {
		t.Fatalf("banner:\n%s", banner)
	}
	// Nor the generated one.
	data := t.TempDir()
	_, banner = serveWith(t, "--data", data)
	creds, err := sess.LoadOrCreateCreds(data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(banner, creds.AppSecret) || !strings.Contains(banner, secretFingerprint(creds.AppSecret)) ||
		!strings.Contains(banner, filepath.Join(data, "credentials.json")) {
		t.Fatalf("banner with the generated secret:\n%s", banner)
	}
}

// --secret-file is read (the secret alone, or apikey=/secret= lines) and,
// like ssh's private keys, refused when others may read it.
func TestServeSecretFile(t *testing.T) {
	dir := t.TempDir()
	const k, s = "FILEKEYxxxxxxxxxxxxxxx", "FILESECRETwwwwwwwwwwwwwwww"
	keyed := filepath.Join(dir, "keyed")
	os.WriteFile(keyed, []byte("# fsdeck serve\napikey = "+k+"\nsecret="+s+"\n"), 0o600)
	base, banner := serveWith(t, "--secret-file", keyed)
	if strings.Contains(banner, s) || !strings.Contains(banner, "from --secret-file "+keyed) {
		t.Fatalf("banner:\n%s", banner)
	}
	if code := deleteWith(t, base, k, s); code != 200 {
		t.Fatalf("with the file's key and secret: %d", code)
	}

	bare := filepath.Join(dir, "bare")
	os.WriteFile(bare, []byte(s+"\n"), 0o600)
	base, _ = serveWith(t, "--apikey", serveKey, "--secret-file", bare)
	if code := deleteWith(t, base, serveKey, s); code != 200 {
		t.Fatalf("with the bare secret file: %d", code)
	}

	c := newCLI(t)
	if runtime.GOOS != "windows" {
		open := filepath.Join(dir, "open")
		os.WriteFile(open, []byte(s), 0o600)
		os.Chmod(open, 0o640)
		_, errs, code := c.run("", "serve", "--addr", "127.0.0.1:0", "--secret-file", open)
		if code == 0 || !strings.Contains(errs, "0640 are too open") || !strings.Contains(errs, "chmod 600 "+open) {
			t.Fatalf("a group-readable secret file: exit %d, %q", code, errs)
		}
	}
	_, errs, code := c.run("", "serve", "--addr", "127.0.0.1:0", "--secret", s, "--secret-file", bare)
	if code != 2 || !strings.Contains(errs, "use one") {
		t.Fatalf("--secret with --secret-file: exit %d, %q", code, errs)
	}
}

func TestParseSecretFile(t *testing.T) {
	for _, tc := range []struct{ in, key, secret, err string }{
		{"S3CRET\n", "", "S3CRET", ""},
		{"  S3CRET  ", "", "S3CRET", ""},
		{"# comment\n\nsecret=S\napikey=K\n", "K", "S", ""},
		{"APIKEY = K\nSecret = S", "K", "S", ""},
		{"apikey=K\n", "", "", "no secret"},
		{"", "", "", "empty"},
		{"one\ntwo\n", "", "", "alone on one line"},
	} {
		key, secret, err := parseSecretFile([]byte(tc.in))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || key != tc.key || secret != tc.secret {
			t.Errorf("%q: %q %q %v", tc.in, key, secret, err)
		}
	}
}

// --help says why a secret should not be given as an argument.
func TestServeHelpWarnsArgvIsVisible(t *testing.T) {
	c := newCLI(t)
	out, _, code := c.run("", "serve", "--help")
	if code != 0 {
		t.Errorf("serve --help: exit %d", code)
	}
	for _, want := range []string{"visible to every user", envServeSecret, envServeAPIKey, "--secret-file"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help lacks %q:\n%s", want, out)
		}
	}
}
