package emulator

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
)

// dataFile is the preallocated file of an upload session.
func (m mp) dataFile() string {
	return filepath.Join(m.e.dir, "sessions", m.start["upload_id"].(string), dataName)
}

// partURL asks multipart/upload for a part URL and its headers.
func (m mp) partURL(n int, size int, md5 string, extra map[string]any) (string, map[string]any) {
	m.e.t.Helper()
	x := map[string]any{"part": n, "size": size, "md5": md5}
	for k, v := range extra {
		x[k] = v
	}
	r := m.e.postJSON("/multipart/upload", m.base(x))
	if r.status != 200 {
		m.e.t.Fatalf("upload part %d: %d %s", n, r.status, r.body)
	}
	u := r.json(m.e.t)
	return u["url"].(string), u["headers"].(map[string]any)
}

func putPart(t *testing.T, url string, headers map[string]any, body io.Reader) resp {
	req, _ := http.NewRequest("PUT", url, body)
	for k, v := range headers {
		req.Header.Set(k, v.(string))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return resp{}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// completeStored completes and checks the stored bytes; it reports whether
// the stored file is the session's data file itself (renamed, not copied).
func (m mp) completeStored(body map[string]any, want []byte) bool {
	m.e.t.Helper()
	before, err := os.Stat(m.dataFile())
	if err != nil {
		m.e.t.Fatalf("no preallocated data file: %v", err)
	}
	r := m.complete(body)
	for r.status == http.StatusAccepted {
		time.Sleep(10 * time.Millisecond)
		r = m.complete(body)
	}
	if r.status != 200 {
		m.e.t.Fatalf("complete: %d %s", r.status, r.body)
	}
	h := r.json(m.e.t)["handle"].(string)
	if got := m.e.do("GET", "/"+h, nil).body; !bytes.Equal(got, want) {
		m.e.t.Fatalf("stored %d bytes differ from the %d uploaded", len(got), len(want))
	}
	after, err := os.Stat(m.e.s.store.dataPath(h))
	if err != nil {
		m.e.t.Fatal(err)
	}
	return os.SameFile(before, after)
}

func etagsBody(size int, etags map[int]string) map[string]any {
	var parts []map[string]any
	for n := 1; n <= len(etags); n++ {
		parts = append(parts, map[string]any{"part_number": n, "etag": etags[n]})
	}
	return map[string]any{"parts": parts, "size": size, "filename": "big.bin"}
}

// Regular parts arriving in any order are written where they belong, so
// complete publishes the preallocated file itself instead of a copy.
func TestCompleteRenamesPartsInPlace(t *testing.T) {
	e := newTEnv(t, Options{MinPartSize: 1000})
	data := bytes.Repeat([]byte("0123456789abcdefghij"), 261) // 5220 bytes: 5 parts of 1000 and 220
	m := e.mpStart(len(data), nil)
	etags := map[int]string{}
	for _, n := range []int{2, 1, 6, 4, 3, 5} {
		d := data[(n-1)*1000 : min(n*1000, len(data))]
		etags[n] = m.part(n, d, nil).header.Get("ETag")
	}
	if !m.completeStored(etagsBody(len(data), etags), data) {
		t.Fatal("complete copied the parts instead of renaming the data file")
	}
}

// Intelligent ingestion: chunks (one halved and re-sent) land at their
// offsets within 8 MiB parts, and complete renames.
func TestCompleteRenamesIntelligentChunksInPlace(t *testing.T) {
	e := newTEnv(t, Options{})
	data := make([]byte, iiPartSize+3000)
	for i := range data {
		data[i] = byte(i * 7 / 5)
	}
	m := e.mpStart(len(data), map[string]any{"fii": true})
	ii := func(off int) map[string]any { return map[string]any{"offset": off, "fii": true} }
	half := iiPartSize / 2
	m.part(1, data[:iiPartSize], ii(0)) // superseded by the halves below
	m.part(1, data[:half], ii(0))
	m.part(1, data[half:iiPartSize], ii(half))
	m.part(2, data[iiPartSize+1000:], ii(1000))
	m.part(2, data[iiPartSize:iiPartSize+1000], ii(0))
	for _, n := range []int{1, 2} {
		if r := e.postJSON("/multipart/commit", m.base(map[string]any{"part": n, "size": len(data)})); r.status != 200 {
			t.Fatalf("commit %d: %d %s", n, r.status, r.body)
		}
	}
	if !m.completeStored(map[string]any{"fii": true, "size": len(data)}, data) {
		t.Fatal("complete copied the chunks instead of renaming the data file")
	}
}

// Parts that do not fit the guessed layout (the last part, sent first and
// big enough to be any part, makes the emulator guess a wrong part size)
// still assemble correctly, by copying.
func TestCompleteCopiesUnevenParts(t *testing.T) {
	e := newTEnv(t, Options{MinPartSize: 500})
	data := bytes.Repeat([]byte("xyz"), 1000) // parts of 1200, 1200, 600
	m := e.mpStart(len(data), nil)
	etags := map[int]string{}
	for _, n := range []int{3, 1, 2} {
		etags[n] = m.part(n, data[(n-1)*1200:min(n*1200, len(data))], nil).header.Get("ETag")
	}
	if m.completeStored(etagsBody(len(data), etags), data) {
		t.Fatal("parts that did not fit were not copied")
	}
}

// A part sent again replaces the earlier bytes (resume); complete wants
// the newer ETag.
func TestResentPartReplacesEarlierBytes(t *testing.T) {
	e := newTEnv(t, Options{MinPartSize: 4})
	m := e.mpStart(8, nil)
	old := m.part(1, []byte("AAAA"), nil).header.Get("ETag")
	etag1 := m.part(1, []byte("aaaa"), nil).header.Get("ETag")
	etag2 := m.part(2, []byte("bbbb"), nil).header.Get("ETag")
	if r := m.complete(etagsBody(8, map[int]string{1: old, 2: etag2})); r.status != 400 || !strings.Contains(string(r.body), "does not match") {
		t.Fatalf("complete with the replaced ETag: %d %s", r.status, r.body)
	}
	if !m.completeStored(etagsBody(8, map[int]string{1: etag1, 2: etag2}), []byte("aaaabbbb")) {
		t.Fatal("not renamed in place")
	}
}

// Two PUTs of the same part at once: the newer one wins, the older one
// fails without writing another byte, and complete waits (202) while a PUT
// is still writing.
func TestOverlappingPutsNewerWins(t *testing.T) {
	e := newTEnv(t, Options{MinPartSize: 1, CompleteWait: time.Second})
	size := 64 << 10
	older, newer := bytes.Repeat([]byte("o"), size), bytes.Repeat([]byte("n"), size)
	m := e.mpStart(size, nil)
	u1, h1 := m.partURL(1, size, md5b64(older), nil)
	u2, h2 := m.partURL(1, size, md5b64(newer), nil)
	pr, pw := io.Pipe()
	first := make(chan resp, 1)
	go func() { first <- putPart(t, u1, h1, pr) }()
	pw.Write(older[:size/2])
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		e.s.sessions.mu.Lock()
		writing := e.s.sessions.busy(m.start["upload_id"].(string))
		e.s.sessions.mu.Unlock()
		if writing {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first PUT never started")
		}
	}
	if r := m.complete(etagsBody(size, map[int]string{1: `"x"`})); r.status != http.StatusAccepted {
		t.Fatalf("complete while a part is being written: %d %s", r.status, r.body)
	}
	r2 := putPart(t, u2, h2, bytes.NewReader(newer))
	if r2.status != 200 {
		t.Fatalf("newer PUT: %d %s", r2.status, r2.body)
	}
	pw.Write(older[size/2:])
	pw.Close()
	if r1 := <-first; r1.status == 200 {
		t.Fatalf("older PUT succeeded after a newer one replaced it: %s", r1.body)
	}
	if !m.completeStored(etagsBody(size, map[int]string{1: r2.header.Get("ETag")}), newer) {
		t.Fatal("not renamed in place")
	}
}

// Nothing is published before complete: after all parts and a restart,
// the store holds no file, and complete then publishes the one upload.
func TestNoFileBeforeComplete(t *testing.T) {
	dir := t.TempDir()
	e := newTEnv(t, Options{DataDir: dir, MinPartSize: 3})
	m := e.mpStart(6, nil)
	etags := map[int]string{1: m.part(1, []byte("abc"), nil).header.Get("ETag"), 2: m.part(2, []byte("def"), nil).header.Get("ETag")}
	e.srv.Close()
	e.s.Close()
	if n := storedFiles(t, dir); n != 0 {
		t.Fatalf("%d files published before complete", n)
	}
	m.e = newTEnv(t, Options{DataDir: dir, MinPartSize: 3})
	if !m.completeStored(etagsBody(6, etags), []byte("abcdef")) {
		t.Fatal("not renamed in place after a restart")
	}
	if n := storedFiles(t, dir); n != 1 {
		t.Fatalf("%d files published by one complete", n)
	}
}

// storedFiles counts the files the store holds (outside sessions, temp
// files and the cache).
func storedFiles(t *testing.T, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		top := strings.Split(filepath.ToSlash(rel), "/")[0]
		if d.IsDir() && (top == "sessions" || top == "tmp" || top == "cache") {
			return filepath.SkipDir
		}
		if !d.IsDir() && !strings.HasSuffix(path, ".json") && !strings.HasPrefix(d.Name(), ".") {
			n++
		}
		return nil
	})
	return n
}

func TestInferPartSize(t *testing.T) {
	const mib = 1 << 20
	regular := &session{Size: 20 * mib}
	for _, tt := range []struct {
		part       int
		size, want int64
	}{
		{1, 6 * mib, 6 * mib}, // part 1 is always a full part
		{3, 6 * mib, 6 * mib}, // may be a middle part
		{4, 2 * mib, 6 * mib}, // below the 5 MiB minimum: the last part, 18 MiB before it
		{2, 15 * mib, 0},      // no even layout has a second part of 15 MiB
		{3, mib + 1, 0},       // 19 MiB - 1 over 2 parts: no whole part size
	} {
		if got := inferPartSize(regular, tt.part, tt.size, 5*mib); got != tt.want {
			t.Errorf("part %d of %d bytes: %d, want %d", tt.part, tt.size, got, tt.want)
		}
	}
	if got := inferPartSize(&session{Size: 20 * mib, II: true}, 3, mib, 5*mib); got != iiPartSize {
		t.Errorf("II: %d", got)
	}
	if got := inferPartSize(&session{Size: 200000 * mib, II: true}, 1, mib, 5*mib); got != 20*mib {
		t.Errorf("II over 10,000 parts: %d", got)
	}
}

// A complete whose metadata cannot be written (a full disk) fails, but
// the upload assembled in place survives it: once the disk recovers, the
// same complete stores the file, with no part sent again.
func TestFailedMetaWriteKeepsInPlaceUpload(t *testing.T) {
	e := newTEnv(t, Options{MinPartSize: 1000})
	data := bytes.Repeat([]byte("klmnopqrst"), 250) // 2500 bytes: 1000, 1000, 500
	m := e.mpStart(len(data), nil)
	etags := map[int]string{}
	for n := 1; n <= 3; n++ {
		etags[n] = m.part(n, data[(n-1)*1000:min(n*1000, len(data))], nil).header.Get("ETag")
	}
	e.s.store.metaWriter = func(string, []byte) error { return errors.New("no space left on device") }
	r := m.complete(etagsBody(len(data), etags))
	for r.status == http.StatusAccepted {
		time.Sleep(10 * time.Millisecond)
		r = m.complete(etagsBody(len(data), etags))
	}
	if r.status < 500 || !strings.Contains(string(r.body), "no space") {
		t.Fatalf("complete with a failing disk: %d %s", r.status, r.body)
	}
	e.s.store.metaWriter = nil
	if !m.completeStored(etagsBody(len(data), etags), data) {
		t.Fatal("the retried complete copied instead of renaming the data file")
	}
}
