package emulator

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/security"
)

// An overwrite whose metadata cannot be written fails and leaves the file
// as it was: old bytes with old metadata, not new bytes behind old meta.
func TestFailedOverwriteKeepsOldFile(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw([]byte("version one"), "&filename=v.txt")
	pol := signed(security.Policy{Expiry: future(), Call: []string{"write"}, Handle: h})
	e.s.store.metaWriter = func(string, []byte) error { return errors.New("no space left on device") }
	r := e.do("POST", "/api/file/"+h+"?"+pol.Encode(), strings.NewReader("the second, longer version"), "Content-Type", "text/plain")
	e.s.store.metaWriter = nil
	if r.status < 500 {
		t.Fatalf("overwrite with a failing disk: %d %s", r.status, r.body)
	}
	if got := e.do("GET", "/"+h, nil); string(got.body) != "version one" {
		t.Fatalf("after the failed overwrite the file reads %q", got.body)
	}
	if m := e.do("GET", "/"+h+"/metadata?key="+key, nil).json(t); m["size"].(float64) != 11 {
		t.Fatalf("metadata after the failed overwrite: %v", m)
	}
}

// Readers see an overwrite whole: the ETag they get belongs to the bytes
// they get, while the file is replaced again and again.
func TestOverwriteAndReadersAgree(t *testing.T) {
	e := newTEnv(t, Options{})
	versions := [][]byte{bytes.Repeat([]byte("a"), 100), bytes.Repeat([]byte("b"), 3000)}
	h := e.storeRaw(versions[0], "&filename=v.bin")
	pol := signed(security.Policy{Expiry: future(), Call: []string{"write"}, Handle: h})
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 1; !stop.Load(); i++ {
			e.do("POST", "/api/file/"+h+"?"+pol.Encode(), bytes.NewReader(versions[i%2]), "Content-Type", "application/octet-stream")
		}
	})
	etagOf := map[string]string{}
	for range 300 {
		r := e.do("GET", "/"+h, nil)
		if r.status != 200 || (!bytes.Equal(r.body, versions[0]) && !bytes.Equal(r.body, versions[1])) {
			stop.Store(true)
			wg.Wait()
			t.Fatalf("read %d: %d bytes, neither version", r.status, len(r.body))
		}
		if r.header.Get("Content-Length") != "" && r.header.Get("Content-Length") != itoa(len(r.body)) {
			t.Errorf("Content-Length %s for %d bytes", r.header.Get("Content-Length"), len(r.body))
		}
		etagOf[r.header.Get("ETag")+"/"+string(r.body[:1])] = ""
	}
	stop.Store(true)
	wg.Wait()
	// Each ETag names one content: no ETag was seen with both contents.
	seen := map[string]string{}
	for k := range etagOf {
		tag, c, _ := strings.Cut(k, "/")
		if prev, ok := seen[tag]; ok && prev != c {
			t.Fatalf("ETag %s was served with both contents", tag)
		}
		seen[tag] = c
	}
}

// A write that fails on its metadata leaves nothing behind in tmp/: not
// for an upload, an overwrite, or a store task.
func TestFailedMetaWriteLeavesNoTemp(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw([]byte("version one"), "&filename=v.txt")
	pol := signed(security.Policy{Expiry: future(), Call: []string{"write"}, Handle: h})
	e.s.store.metaWriter = func(string, []byte) error { return errors.New("no space left on device") }
	for _, req := range []struct{ method, path string }{
		{"POST", "/api/store/S3?key=" + key + "&filename=n.txt"},
		{"POST", "/api/file/" + h + "?" + pol.Encode()},
		{"GET", "/" + key + "/store=filename:copy.txt/" + h},
	} {
		if r := e.do(req.method, req.path, strings.NewReader("new bytes"), "Content-Type", "text/plain"); r.status < 400 {
			t.Errorf("%s %s with a failing disk: %d %s", req.method, req.path, r.status, r.body)
		}
		ents, err := os.ReadDir(filepath.Join(e.s.store.root, "tmp"))
		if err != nil || len(ents) != 0 {
			t.Errorf("%s %s left in tmp/: %v %v", req.method, req.path, ents, err)
		}
	}
	e.s.store.metaWriter = nil
}

// noLinks makes the store behave as on a file system without hard links.
func noLinks(e *tenv) {
	e.s.store.link = func(oldname, newname string) error {
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EPERM}
	}
}

// On a file system without hard links an overwrite still never loses the
// old file: one whose metadata cannot be written leaves old bytes with
// old metadata, and readers during overwrites get one whole version.
func TestOverwriteWithoutHardLinks(t *testing.T) {
	e := newTEnv(t, Options{})
	noLinks(e)
	h := e.storeRaw([]byte("version one"), "&filename=v.txt")
	pol := signed(security.Policy{Expiry: future(), Call: []string{"write"}, Handle: h})
	overwrite := func(body []byte) resp {
		return e.do("POST", "/api/file/"+h+"?"+pol.Encode(), bytes.NewReader(body), "Content-Type", "application/octet-stream")
	}
	e.s.store.metaWriter = func(string, []byte) error { return errors.New("no space left on device") }
	r := overwrite([]byte("the second, longer version"))
	e.s.store.metaWriter = nil
	if r.status < 500 {
		t.Fatalf("overwrite with a failing disk: %d %s", r.status, r.body)
	}
	if got := e.do("GET", "/"+h, nil); string(got.body) != "version one" {
		t.Fatalf("after the failed overwrite the file reads %d %q", got.status, got.body)
	}
	if m := e.do("GET", "/"+h+"/metadata?key="+key, nil).json(t); m["size"].(float64) != 11 {
		t.Fatalf("metadata after the failed overwrite: %v", m)
	}
	versions := [][]byte{bytes.Repeat([]byte("a"), 100), bytes.Repeat([]byte("b"), 3000)}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; !stop.Load(); i++ {
			overwrite(versions[i%2])
		}
	})
	defer func() { stop.Store(true); wg.Wait() }()
	for range 200 {
		r := e.do("GET", "/"+h, nil)
		if r.status == 200 && string(r.body) == "version one" {
			continue // not overwritten yet
		}
		if r.status != 200 || (!bytes.Equal(r.body, versions[0]) && !bytes.Equal(r.body, versions[1])) {
			t.Fatalf("read during overwrites without links: %d %d bytes", r.status, len(r.body))
		}
	}
}

// A crash between moving the old data aside (no hard links) and putting
// the new data in place leaves the file's data in tmp/: the next start
// puts it back instead of cleaning it away.
func TestStartRestoresDataMovedAside(t *testing.T) {
	dir := t.TempDir()
	e := newTEnv(t, Options{DataDir: dir})
	h := e.storeRaw([]byte("kept"), "&filename=k.txt")
	e.srv.Close()
	e.s.Close()
	if err := os.Rename(e.s.store.dataPath(h), filepath.Join(dir, "tmp", replacedPrefix+h+"-abcdef")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "tmp", "up-123"), []byte("junk"), 0o600)
	e2 := newTEnv(t, Options{DataDir: dir})
	if got := e2.do("GET", "/"+h, nil); string(got.body) != "kept" {
		t.Fatalf("after the restart the file reads %d %q", got.status, got.body)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(ents) != 0 {
		t.Fatalf("tmp/ after the restart: %v", ents)
	}
}
