package imgbb

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

func upload(t *testing.T, c *Client, name string, data []byte, exp time.Duration) hosts.Result {
	t.Helper()
	res, err := c.Upload(context.Background(), hosts.File{Name: name, Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{Expiry: exp}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func postForm(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.PostForm(u, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// The viewer link of an upload reply is an HTML page showing the image;
// unknown and expired ids are 404.
func TestViewerPageServesTheImageAndUnknownIs404(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	srv, c := setup(t, EmulatorOptions{Now: clk.now})
	res := upload(t, c, "cat photo.png", pngBytes(t, 20, 10), 120*time.Second)
	viewer := link(t, res, "viewer")
	if viewer != srv.URL+"/imgbb/v/"+res.ID {
		t.Fatalf("viewer link %s", viewer)
	}
	code, body := fetch(t, viewer)
	page := string(body)
	if code != http.StatusOK || !strings.Contains(page, "<title>catphoto.png</title>") ||
		!strings.Contains(page, `<img src="`+res.URL+`"`) || !strings.Contains(page, "/i/"+res.ID+"/thumb/catphoto.png") {
		t.Fatalf("viewer: HTTP %d %s", code, page)
	}
	if code, _ := fetch(t, srv.URL+"/imgbb/v/zzzzzzz"); code != http.StatusNotFound {
		t.Fatalf("unknown id: HTTP %d", code)
	}
	clk.add(121 * time.Second)
	if code, _ := fetch(t, viewer); code != http.StatusNotFound {
		t.Fatalf("expired image's viewer: HTTP %d", code)
	}
}

// Names reach the pages HTML-escaped, even a name put into the state file
// by hand.
func TestPagesEscapeTheName(t *testing.T) {
	dir := t.TempDir()
	srv, c := boot(t, EmulatorOptions{Dir: dir})
	res := upload(t, c, "a.png", pngBytes(t, 4, 4), 0)
	srv.Close()
	st, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	st = bytes.Replace(st, []byte(`"a.png"`), []byte(`"\u003cb\u003e\u0026x.png"`), 1)
	if err := os.WriteFile(filepath.Join(dir, "state.json"), st, 0o600); err != nil {
		t.Fatal(err)
	}
	srv2, _ := boot(t, EmulatorOptions{Dir: dir})
	for _, u := range []string{link(t, res, "viewer"), link(t, res, "delete")} {
		code, body := fetch(t, strings.Replace(u, srv.URL, srv2.URL, 1))
		if code != http.StatusOK || bytes.Contains(body, []byte("<b>")) || !bytes.Contains(body, []byte("&lt;b&gt;&amp;x.png")) {
			t.Fatalf("%s: HTTP %d %s", u, code, body)
		}
	}
}

// The delete page asks first (GET deletes nothing), refuses a wrong or
// missing hash, and its POST with the issued hash deletes the image, its
// renditions and its state entry, so a restart does not bring it back.
func TestDeletePageConfirmsThenDeletesForGood(t *testing.T) {
	dir := t.TempDir()
	srv, c := boot(t, EmulatorOptions{Dir: dir})
	data := pngBytes(t, 300, 200)
	res, other := upload(t, c, "big.png", data, 0), upload(t, c, "other.png", data, 0)
	del := link(t, res, "delete")
	if !strings.HasPrefix(del, srv.URL+"/imgbb/v/"+res.ID+"/") {
		t.Fatalf("delete link %s", del)
	}
	thumb := link(t, res, "thumb")
	if code, _ := fetch(t, thumb); code != http.StatusOK {
		t.Fatalf("thumb: HTTP %d", code)
	}
	code, body := fetch(t, del)
	if code != http.StatusOK || !bytes.Contains(body, []byte(`<form method="post" action="`+del+`">`)) {
		t.Fatalf("delete page: HTTP %d %s", code, body)
	}
	hash := del[strings.LastIndex(del, "/")+1:]
	wrong := strings.TrimSuffix(del, hash) + strings.Repeat("0", len(hash))
	for _, u := range []string{wrong, strings.TrimSuffix(del, hash), strings.TrimSuffix(del, "/"+hash) + "/" + hash[:8],
		strings.Replace(link(t, other, "delete"), other.ID, res.ID, 1)} {
		if code, _ := postForm(t, u); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("POST %s: HTTP %d", u, code)
		}
		if code, _ := fetch(t, u); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("GET %s: HTTP %d", u, code)
		}
	}
	if code, b := fetch(t, res.URL); code != http.StatusOK || !bytes.Equal(b, data) {
		t.Fatalf("image after a GET and refused POSTs: HTTP %d", code)
	}

	if code, page := postForm(t, del); code != http.StatusOK || !strings.Contains(page, "big.png was deleted") {
		t.Fatalf("POST delete: HTTP %d %s", code, page)
	}
	for _, u := range []string{res.URL, thumb, link(t, res, "viewer"), del} {
		if code, _ := fetch(t, u); code != http.StatusNotFound {
			t.Fatalf("after the delete %s: HTTP %d", u, code)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "derived", res.ID+".*")); len(left) != 0 {
		t.Fatalf("renditions left: %v", left)
	}
	srv.Close()

	srv2, _ := boot(t, EmulatorOptions{Dir: dir})
	moved := func(u string) string { return strings.Replace(u, srv.URL, srv2.URL, 1) }
	if code, _ := fetch(t, moved(res.URL)); code != http.StatusNotFound {
		t.Fatalf("deleted image after a restart: HTTP %d", code)
	}
	if code, b := fetch(t, moved(other.URL)); code != http.StatusOK || !bytes.Equal(b, data) {
		t.Fatalf("the other image after a restart: HTTP %d", code)
	}
	// The other image's delete page still works after the restart.
	if code, _ := postForm(t, moved(link(t, other, "delete"))); code != http.StatusOK {
		t.Fatalf("delete after a restart: HTTP %d", code)
	}
	if code, _ := fetch(t, moved(other.URL)); code != http.StatusNotFound {
		t.Fatalf("other image after its delete: HTTP %d", code)
	}
}
