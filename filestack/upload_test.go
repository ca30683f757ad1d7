package filestack

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
