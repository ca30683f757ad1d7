package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// Local mode shares an fsdeck serve --security-required: its hosting
// emulators then want the key on every URL, and fsdeck's own client puts
// it there in each service's form, so uploads and downloads still work,
// while the same file URLs fetched without the key are refused.
func TestCLIHostsLocalAgainstSecurityRequired(t *testing.T) {
	c := newCLI(t)
	c.serveWith(t, "--security-required")
	pic := clitest.PNG(t)
	text := []byte("notes ✓\nsecond line\n")
	c.file("p.png", pic)
	c.file("n.txt", text)
	for _, tc := range []struct {
		target, file string
		data         []byte
	}{
		{"imgbb", "p.png", pic},
		{"gyazo", "p.png", pic},
		{"pastebin", "n.txt", text},
		{"gofile", "p.png", pic},
		{"ddownload", "n.txt", text},
	} {
		out, errOut, code := c.run("", "upload", "--to", tc.target, "--json", tc.file)
		rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
		if code != 0 || len(rs) != 1 || rs[0].Status != statusStored {
			t.Fatalf("%s: upload exit %d %q: %+v", tc.target, code, errOut, rs)
		}
		res, err := http.Get(rs[0].URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK || bytes.Contains(body, tc.data) {
			t.Errorf("%s: %s without the key: HTTP %d", tc.target, rs[0].URL, res.StatusCode)
		}
		if tc.target == "gofile" || tc.target == "ddownload" {
			continue // their URLs are pages; fsdeck does not download them
		}
		got, errOut, code := c.run("", "get", "--to", tc.target, "--stdout", rs[0].Handle)
		if code != 0 || !bytes.Equal([]byte(got), tc.data) {
			t.Errorf("%s: get exit %d %q: %d bytes, want %d exactly", tc.target, code, strings.TrimSpace(errOut), len(got), len(tc.data))
		}
	}
}

// serve --help says what --security-required covers: the Filestack calls
// and each hosting emulator, in the form that service takes the key.
func TestServeHelpSaysWhatSecurityRequiredCovers(t *testing.T) {
	var out bytes.Buffer
	if err := runStd(context.Background(), []string{"serve", "--help"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	// The flag's line, up to the next flag's (cobra prints help on stdout).
	_, help, _ := strings.Cut(out.String(), "--security-required")
	help, _, _ = strings.Cut(help, "\n")
	help = strings.Join(strings.Fields(help), " ")
	for _, want := range []string{"signed policy", "downloads", "metadata", "processing", "hosting emulators",
		"ImgBB key=", "Gyazo access_token=", "Pastebin api_dev_key=", "DDownload key=", "GoFile a Bearer token or the accountToken cookie",
		"no GoFile guest accounts"} {
		if !strings.Contains(help, want) {
			t.Errorf("--security-required help does not say %q: %s", want, help)
		}
	}
}
