package filestack

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

func TestRoundTripSizes(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize})
	ps := int(MinPartSize)
	for _, tc := range []struct {
		name  string
		n     int
		force bool
	}{
		{"zero", 0, false}, {"one", 1, false}, {"simple-max", DefaultSimpleMax, false},
		{"part-1", ps - 1, true}, {"part", ps, true}, {"part+1", ps + 1, true}, {"multi", 3*ps + 12345, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, data := randomFile(t, tc.n)
			var ev events
			f, err := e.c.Upload(context.Background(), path, UploadOptions{Progress: ev.add, ForceMultipart: tc.force})
			if err != nil {
				t.Fatal(err)
			}
			if f.Size != int64(tc.n) || !ValidHandle(f.Handle) {
				t.Fatalf("file %+v", f)
			}
			if got := e.download(f.Handle); !bytes.Equal(got, data) {
				t.Fatalf("downloaded %d bytes, differ from the %d uploaded", len(got), len(data))
			}
			checkProgress(t, ev.list(), int64(tc.n))
		})
	}
}

// checkProgress asserts Sent never decreases and ends exactly at total.
func checkProgress(t *testing.T, evs []Event, total int64) {
	t.Helper()
	var last int64
	for _, e := range evs {
		if e.Sent < last {
			t.Fatalf("progress went backwards: %d after %d (%v)", e.Sent, last, e.Kind)
		}
		last = e.Sent
		if e.Total != total {
			t.Fatalf("event total %d, want %d", e.Total, total)
		}
	}
	if last != total {
		t.Fatalf("progress ended at %d, want %d", last, total)
	}
	if len(evs) == 0 || evs[len(evs)-1].Kind != EventDone {
		t.Fatalf("last event is not done: %v", evs)
	}
}

// Store options and tags reach the server on both paths, and the type is
// sniffed from content when not given.
func TestStoreOptionsTagsAndSniffing(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize})
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	p := filepath.Join(t.TempDir(), "noext")
	os.WriteFile(p, png, 0o600)
	for _, force := range []bool{false, true} {
		f, err := e.c.Upload(context.Background(), p, UploadOptions{ForceMultipart: force,
			Store: StoreOptions{Path: "dir/x.png", Container: "bucket"}, UploadTags: map[string]string{"k": "v"}})
		if err != nil {
			t.Fatal(err)
		}
		if f.Mimetype != "image/png" || f.Key != "dir/x.png" || f.Container != "bucket" {
			t.Fatalf("multipart=%v: %+v", force, f)
		}
		md, _ := e.c.Metadata(context.Background(), f.Handle)
		if md.Path != "dir/x.png" || md.Container != "bucket" {
			t.Fatalf("metadata %+v", md)
		}
	}
}

// The client returns names as stored, control characters included; only
// error texts are cleaned (displays sanitise what they draw).
func TestNamesKeptVerbatim(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{})
	path, _ := randomFile(t, 10)
	name := "evil\x1b[31mname.txt"
	f, err := e.c.Upload(context.Background(), path, UploadOptions{Filename: name})
	if err != nil || f.Filename != name {
		t.Fatalf("%v %q", err, f.Filename)
	}
	md, _ := e.c.Metadata(context.Background(), f.Handle)
	if md.Filename != name {
		t.Fatalf("metadata %q", md.Filename)
	}
}

// Files whose bytes look like a store request (JSON, a url= form, a multipart
// body) are stored as files, byte for byte, on the simple path and by
// overwrite, and keep their own type. A one-byte file "{" once failed here
// because it sniffs as JSON and went out as Content-Type: application/json.
func TestUploadFilesThatLookLikeRequests(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize, AppSecret: testSecret})
	for _, tc := range []struct{ name, body, mimetype, want string }{
		{"brace", "{", "", "application/json"},
		{"bracket", "[", "", "application/json"},
		{"package.json", `{"url":"http://127.0.0.1:1/x","name":"pkg"}`, "", "application/json"},
		{"form.txt", "url=http%3A%2F%2F127.0.0.1%3A1%2Fx", "application/x-www-form-urlencoded", "application/x-www-form-urlencoded"},
		{"body.eml", "--b\r\nContent-Disposition: form-data; name=\"fileUpload\"\r\n\r\nx\r\n--b--\r\n", "multipart/form-data; boundary=b", "multipart/form-data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(p, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := e.c.Upload(context.Background(), p, UploadOptions{Mimetype: tc.mimetype})
			if err != nil {
				t.Fatal(err)
			}
			if got := e.download(f.Handle); string(got) != tc.body {
				t.Fatalf("downloaded %q, want %q", got, tc.body)
			}
			md, err := e.c.Metadata(context.Background(), f.Handle)
			if err != nil {
				t.Fatal(err)
			}
			if baseType(md.Mimetype) != tc.want {
				t.Fatalf("stored type %q, want %q", md.Mimetype, tc.want)
			}
			mt := tc.mimetype
			if mt == "" {
				mt = md.Mimetype
			}
			nf, err := e.c.Overwrite(context.Background(), f.Handle, strings.NewReader(tc.body+tc.body), int64(2*len(tc.body)), mt)
			if err != nil {
				t.Fatalf("overwrite: %v", err)
			}
			if got := e.download(nf.Handle); string(got) != tc.body+tc.body {
				t.Fatalf("after overwrite downloaded %q", got)
			}
		})
	}
}
