package conformance

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/hosts"
)

// capabilities: the data agrees with the optional interfaces, as rclone's
// Features are filled from the Fs's.
func (c *run) capabilities(t *testing.T) {
	tg := c.Target
	caps := tg.Capabilities()
	_, deleter := tg.(hosts.Deleter)
	_, lister := tg.(hosts.Lister)
	_, stater := tg.(hosts.Stater)
	_, parts := tg.(hosts.PartUploader)
	_, ranged := tg.(hosts.RangeDownloader)
	_, transformer := tg.(hosts.Transformer)
	_, storer := tg.(hosts.URLStorer)
	_, importer := tg.(hosts.Importer)
	_, signer := tg.(hosts.Signer)
	_, deriver := tg.(hosts.URLDeriver)
	for _, p := range []struct {
		name      string
		said, has bool
	}{
		{"Delete/Deleter", caps.Delete, deleter}, {"List/Lister", caps.List, lister}, {"Stat/Stater", caps.Stat, stater},
		{"Resume/PartUploader", caps.Resume, parts}, {"RangeDownload/RangeDownloader", caps.RangeDownload, ranged},
		{"Transform/Transformer", caps.Transform, transformer}, {"StoreURL/URLStorer", caps.StoreURL, storer},
		{"Import/Importer", caps.Import, importer}, {"SignedURL/Signer", caps.SignedURL, signer},
		{"DerivedURL/URLDeriver", caps.DerivedURL, deriver},
	} {
		if p.said != p.has {
			t.Errorf("%s: Capabilities say %v, the interface is implemented: %v", p.name, p.said, p.has)
		}
	}
	if caps.Intelligent && !caps.Resume {
		t.Error("intelligent ingestion is a mode of part uploads, but the target does not upload in parts")
	}
	if caps.ResumeAbove < 0 || (!caps.Resume && caps.ResumeAbove != 0) {
		t.Errorf("ResumeAbove %d without part uploads, or negative", caps.ResumeAbove)
	}
	if n := tg.Name(); n == "" || strings.ToLower(n) != n || strings.ContainsAny(n, "/ ") {
		t.Errorf("name %q: the registry, flags and key names want a lower-case word", n)
	}
}

// upload sends data named name and checks the result and what its URLs
// serve.
func (c *run) upload(t *testing.T, name string, data []byte) uploaded {
	t.Helper()
	var last int64
	var backwards bool
	res, err := c.Target.Upload(c.ctx, hosts.File{Name: name, Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{},
		func(sent, _ int64) {
			if sent < last || sent > int64(len(data)) {
				backwards = true
			}
			last = sent
		})
	if err != nil {
		t.Fatalf("upload of %q (%d bytes): %v", name, len(data), err)
	}
	if res.ID == "" || res.URL == "" || res.Target != c.Target.Name() {
		t.Fatalf("upload of %q: result %+v: want an id, a URL and the target's name", name, res)
	}
	if backwards {
		t.Errorf("upload of %q: progress ran backwards or past the size (last %d of %d)", name, last, len(data))
	}
	if d, ok := c.Target.(hosts.URLDeriver); ok && d.URLOf(res.ID) != res.URL {
		t.Errorf("upload of %q: URL %s, but the id derives %s", name, res.URL, d.URLOf(res.ID))
	}
	if res.Size > 0 && res.Size != int64(len(data)) {
		t.Errorf("upload of %q: the service says %d bytes, %d were sent", name, res.Size, len(data))
	}
	c.serves(t, res, data)
	return uploaded{res: res, data: data}
}

// serves checks that res's URLs give data back: the bytes URL (or the
// emulator's raw URL) byte for byte, the main URL with a 200.
func (c *run) serves(t *testing.T, res hosts.Result, data []byte) {
	t.Helper()
	if status, _ := c.get(t, res.URL); status != http.StatusOK {
		t.Errorf("%s: the main URL answers %d", res.URL, status)
	}
	u := c.bytesURL(res)
	if u == "" {
		if c.RawURL != nil {
			t.Errorf("%s: no URL found that serves its bytes", res.ID)
		}
		return
	}
	if status, got := c.get(t, u); status != http.StatusOK || !bytes.Equal(got, data) {
		t.Errorf("%s: HTTP %d, %d bytes; want the %d bytes uploaded", u, status, len(got), len(data))
	}
}

// get fetches u: its status and body.
func (c *run) get(t *testing.T, u string) (int, []byte) {
	t.Helper()
	resp, err := c.HTTP.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp.StatusCode, b
}

// oddNames: names as a file system gives them — spaces, quotes, markup,
// URL syntax, non-Latin scripts, a bidi override, a terminal escape, a
// leading dot, 200 characters — are data: every upload goes through and
// serves its bytes. (Front ends sanitise what they show.)
func (c *run) oddNames(t *testing.T) {
	ext := ext(c.caps().Kind)
	for i, name := range []string{
		`hello? sausage #1 & <b>'quoted' "double" 100%+x=y;z` + ext,
		"Hello, 世界 êé ✓ Здравствуй" + ext,
		"\u202efdp" + ext,
		"\x1b[31mred\x07 bell\ttab" + ext,
		".hidden" + ext,
		strings.Repeat("long-", 40) + ext,
	} {
		c.upload(t, name, c.sample(t, 1000+i))
	}
}

// zeroBytes: an empty file is refused by Check, as ErrRejected, or
// uploaded and served empty.
func (c *run) zeroBytes(t *testing.T) {
	err := c.caps().Check(c.Target.Name(), 0, nil, hosts.UploadOptions{})
	if err != nil {
		if !errors.Is(err, hosts.ErrRejected) {
			t.Fatalf("Check refuses an empty file with %v, want ErrRejected", err)
		}
		return
	}
	c.upload(t, "empty"+ext(c.caps().Kind), []byte{})
}

// sizeLimit: past MaxSize, Check refuses as ErrRejected before any byte
// is sent, and the service refuses too (as ErrRejected), so the limit
// Capabilities state is the service's.
func (c *run) sizeLimit(t *testing.T) {
	caps := c.caps()
	if caps.MaxSize <= 0 {
		t.Skip("no documented size limit")
	}
	over := c.sample(t, int(caps.MaxSize)+1)
	if len(over) != int(caps.MaxSize)+1 {
		t.Fatalf("sample of %d bytes, want %d", len(over), caps.MaxSize+1)
	}
	head := over[:min(len(over), hosts.SniffLen)]
	if err := caps.Check(c.Target.Name(), caps.MaxSize, head, hosts.UploadOptions{}); err != nil {
		t.Errorf("Check refuses a file of exactly the limit: %v", err)
	}
	if err := caps.Check(c.Target.Name(), caps.MaxSize+1, head, hosts.UploadOptions{}); !errors.Is(err, hosts.ErrRejected) {
		t.Errorf("Check of a file past the limit: %v, want ErrRejected", err)
	}
	_, err := c.Target.Upload(c.ctx, hosts.File{Name: "over" + ext(caps.Kind), Size: int64(len(over)), Body: bytes.NewReader(over)},
		hosts.UploadOptions{}, nil)
	if !errors.Is(err, hosts.ErrRejected) {
		t.Errorf("a file past the limit sent anyway: %v, want ErrRejected", err)
	}
}

// wrongKey: the service refuses a wrong key as ErrAuth.
func (c *run) wrongKey(t *testing.T) {
	if c.Wrong == nil {
		t.Skip("no target with a wrong key")
	}
	data := c.sample(t, 100)
	_, err := c.Wrong.Upload(c.ctx, hosts.File{Name: "k" + ext(c.caps().Kind), Size: int64(len(data)), Body: bytes.NewReader(data)},
		hosts.UploadOptions{}, nil)
	if !errors.Is(err, hosts.ErrAuth) {
		t.Errorf("upload with a wrong key: %v, want ErrAuth", err)
	}
}

// stat: an upload's metadata names it; an id the service never gave is
// ErrNotFound.
func (c *run) stat(t *testing.T, up uploaded) {
	st, ok := c.Target.(hosts.Stater)
	if !ok {
		t.Skip("no Stat")
	}
	r, err := st.Stat(c.ctx, up.res.ID)
	if err != nil || r.ID != up.res.ID || r.Target != c.Target.Name() || (r.Size > 0 && r.Size != int64(len(up.data))) {
		t.Errorf("Stat(%s) = %+v, %v", up.res.ID, r, err)
	}
	if _, err := st.Stat(c.ctx, unknownID(up.res.ID)); !errors.Is(err, hosts.ErrNotFound) {
		t.Errorf("Stat of an unknown id: %v, want ErrNotFound", err)
	}
}

// list: the upload is on the server's list, and the total counts it.
func (c *run) list(t *testing.T, up uploaded) {
	l, ok := c.Target.(hosts.Lister)
	if !ok {
		t.Skip("no List")
	}
	items, total, err := l.List(c.ctx, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range items {
		found = found || it.ID == up.res.ID
	}
	if !found || total < len(items) {
		t.Errorf("List: %d items of %d, the upload %s listed: %v", len(items), total, up.res.ID, found)
	}
}

// rangeDownload: the whole file by id, then its second half continuing
// a first half with the file's ETag.
func (c *run) rangeDownload(t *testing.T, up uploaded) {
	rd, ok := c.Target.(hosts.RangeDownloader)
	if !ok {
		t.Skip("no ranged download")
	}
	var whole bytes.Buffer
	var etag string
	n, err := rd.DownloadRange(c.ctx, up.res.ID, &whole, hosts.RangeOptions{OnETag: func(e string) { etag = e }})
	if err != nil || n != int64(len(up.data)) || !bytes.Equal(whole.Bytes(), up.data) {
		t.Fatalf("download: %d bytes, %v", n, err)
	}
	half := len(up.data) / 2
	rest := bytes.NewBuffer(append([]byte(nil), up.data[:half]...))
	n, err = rd.DownloadRange(c.ctx, up.res.ID, rest, hosts.RangeOptions{Offset: int64(half), ETag: etag,
		Restart: func() error { return errors.New("the file did not change, yet the service sent it whole") }})
	if err != nil || n != int64(len(up.data)) || !bytes.Equal(rest.Bytes(), up.data) {
		t.Errorf("continuing at %d: %d bytes, %v", half, n, err)
	}
	if _, err := rd.DownloadRange(c.ctx, unknownID(up.res.ID), io.Discard, hosts.RangeOptions{}); !errors.Is(err, hosts.ErrNotFound) {
		t.Errorf("download of an unknown id: %v, want ErrNotFound", err)
	}
}

// importRef: the id, and the URL the upload returned, name the upload.
func (c *run) importRef(t *testing.T, up uploaded) {
	im, ok := c.Target.(hosts.Importer)
	if !ok {
		t.Skip("no import")
	}
	for _, ref := range []string{up.res.ID, up.res.URL, " " + up.res.URL + "\n"} {
		if id, ok := im.ParseRef(ref); !ok || id != up.res.ID {
			t.Errorf("ParseRef(%q) = %q, %v; want %q", ref, id, ok, up.res.ID)
		}
	}
	if id, ok := im.ParseRef("not a reference"); ok {
		t.Errorf("ParseRef of text = %q", id)
	}
}

// signedURL: a signed URL serves the bytes.
func (c *run) signedURL(t *testing.T, up uploaded) {
	sg, ok := c.Target.(hosts.Signer)
	if !ok {
		t.Skip("no signed URLs")
	}
	u, ok := sg.SignedURL(up.res.ID, time.Minute)
	if !ok {
		t.Fatal("no signed URL with a signing secret configured")
	}
	if status, got := c.get(t, u); status != http.StatusOK || !bytes.Equal(got, up.data) {
		t.Errorf("signed URL: HTTP %d, %d bytes", status, len(got))
	}
}

// transform: a processed image is fetched and its URL answers.
func (c *run) transform(t *testing.T) {
	tr, ok := c.Target.(hosts.Transformer)
	if !ok {
		t.Skip("no transformations")
	}
	up := c.upload(t, "transform.png", pngSample(t, 2000))
	ch := transform.Chain{Source: transform.Handle(up.res.ID), Tasks: []transform.Task{{Name: "resize"}}}
	ch.Tasks[0].Set("width", transform.Int(4))
	var out bytes.Buffer
	typ, err := tr.FetchTransform(c.ctx, ch, &out, 1<<20)
	if err != nil || !strings.HasPrefix(typ, "image/") || out.Len() == 0 {
		t.Fatalf("FetchTransform: %q, %d bytes, %v", typ, out.Len(), err)
	}
	if status, _ := c.get(t, tr.TransformURL(ch, time.Minute)); status != http.StatusOK {
		t.Errorf("TransformURL answers %d", status)
	}
}

// partUpload: a file past ResumeAbove goes in parts, each session
// journaled and readable back; one within it goes in one request.
func (c *run) partUpload(t *testing.T) {
	pu, ok := c.Target.(hosts.PartUploader)
	if !ok {
		t.Skip("no part uploads")
	}
	caps := c.caps()
	dir := t.TempDir()
	small := filepath.Join(dir, "small.bin")
	if err := os.WriteFile(small, c.sample(t, int(max(caps.ResumeAbove, 1))), 0o600); err != nil {
		t.Fatal(err)
	}
	var sessions []hosts.Session
	onSession := func(s hosts.Session) { sessions = append(sessions, s) }
	if _, err := pu.UploadParts(c.ctx, small, hosts.PartOptions{Concurrency: 1, OnSession: onSession}); err != nil {
		t.Fatal(err)
	}
	if caps.ResumeAbove > 0 && len(sessions) != 0 {
		t.Errorf("a file of ResumeAbove bytes gave %d sessions; it should go in one request", len(sessions))
	}
	data := c.sample(t, int(max(caps.ResumeAbove, 4<<20))*2+1)
	big := filepath.Join(dir, "big.bin")
	if err := os.WriteFile(big, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sessions = nil
	res, err := pu.UploadParts(c.ctx, big, hosts.PartOptions{StorePath: "conformance/", Concurrency: 1, OnSession: onSession})
	if err != nil {
		t.Fatal(err)
	}
	c.serves(t, res, data)
	if len(sessions) == 0 {
		t.Fatal("a file past ResumeAbove gave no session to journal")
	}
	last := sessions[len(sessions)-1]
	s, err := pu.ReadSession(last.Journal)
	if err != nil || s.Journal != last.Journal || s.Parts != last.Parts || s.PartSize != last.PartSize || len(s.Done) != len(last.Done) ||
		s.StorePath != "conformance/" || s.Parts < 1 {
		t.Errorf("ReadSession of %+v = %+v, %v", last, s, err)
	}
}

// delete: an id the service never gave is ErrNotFound; the upload goes,
// its bytes are no longer served, and deleting it again is ErrNotFound.
func (c *run) delete(t *testing.T, up uploaded) {
	d, ok := c.Target.(hosts.Deleter)
	if !ok {
		t.Skip("no Delete")
	}
	if err := d.Delete(c.ctx, unknownID(up.res.ID)); !errors.Is(err, hosts.ErrNotFound) {
		t.Errorf("Delete of an unknown id: %v, want ErrNotFound", err)
	}
	if err := d.Delete(c.ctx, up.res.ID); err != nil {
		t.Fatalf("Delete(%s): %v", up.res.ID, err)
	}
	if st, ok := c.Target.(hosts.Stater); ok {
		if _, err := st.Stat(c.ctx, up.res.ID); !errors.Is(err, hosts.ErrNotFound) {
			t.Errorf("Stat after Delete: %v, want ErrNotFound", err)
		}
	}
	if u := c.bytesURL(up.res); u != "" {
		if status, _ := c.get(t, u); status == http.StatusOK {
			t.Errorf("%s still serves the file after Delete", u)
		}
	}
	if err := d.Delete(c.ctx, up.res.ID); !errors.Is(err, hosts.ErrNotFound) {
		t.Errorf("Delete again: %v, want ErrNotFound", err)
	}
}
