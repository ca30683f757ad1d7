package emulator

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Offsets, sizes and part numbers near the int64 limits are refused as
// outside the file: none wraps round into a range that passes the check
// (offset 9223372036854775758 with size 50 used to, and its signed PUT
// then wrote where no chunk of the file belongs).
func TestUploadNumbersNearInt64LimitsRefused(t *testing.T) {
	e := newTEnv(t, Options{})
	m := e.mpStart(3000, map[string]any{"fii": true})
	const maxI, minI = math.MaxInt64, math.MinInt64
	bad := []struct {
		name  string
		call  string
		extra map[string]any
		says  string
	}{
		{"offset that wraps with size", "upload", map[string]any{"part": 1, "size": 50, "offset": int64(maxI - 49)}, "outside the file"},
		{"offset max", "upload", map[string]any{"part": 1, "size": 1, "offset": int64(maxI)}, "outside the file"},
		{"offset min", "upload", map[string]any{"part": 1, "size": 1, "offset": int64(minI)}, "outside the file"},
		{"offset past the end", "upload", map[string]any{"part": 1, "size": 1, "offset": 3000}, "outside the file"},
		{"size max", "upload", map[string]any{"part": 1, "size": int64(maxI), "offset": 0}, "larger than the whole file"},
		{"size min", "upload", map[string]any{"part": 1, "size": int64(minI), "offset": 0}, "positive"},
		{"part 2^32+1", "upload", map[string]any{"part": int64(1<<32 + 1), "size": 1, "offset": 0}, "out of range"},
		{"part max", "upload", map[string]any{"part": int64(maxI), "size": 1, "offset": 0}, "out of range"},
		{"part min", "upload", map[string]any{"part": int64(minI), "size": 1, "offset": 0}, "out of range"},
		{"part past int64", "upload", map[string]any{"part": json.Number("9223372036854775808"), "size": 1}, "integer"},
		{"commit part 2^32+1", "commit", map[string]any{"part": int64(1<<32 + 1), "size": 3000}, "out of range"},
		{"commit size max", "commit", map[string]any{"part": 1, "size": int64(maxI)}, "differs"},
		{"complete part_number 2^32+1", "complete", map[string]any{"parts": []map[string]any{{"part_number": int64(1<<32 + 1), "etag": "x"}}}, "out of range"},
		{"complete parts string 2^32+1", "complete", map[string]any{"parts": "4294967297:x"}, "out of range"},
	}
	for _, b := range bad {
		r := e.postJSON("/multipart/"+b.call, m.base(b.extra))
		if r.status != 400 || !strings.Contains(string(r.body), b.says) {
			t.Errorf("%s: %d %s, want 400 %q", b.name, r.status, r.body, b.says)
		}
	}
	form := url.Values{"apikey": {key}, "uri": {m.start["uri"].(string)}, "upload_id": {m.start["upload_id"].(string)},
		"part": {"4294967297"}, "size": {"1"}, "multipart": {"true"}}
	r := e.do("POST", "/multipart/upload", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	if r.status != 400 || !strings.Contains(string(r.body), "out of range") {
		t.Errorf("form part 2^32+1: %d %s", r.status, r.body)
	}
}

// A part PUT writes only the bytes its URL was signed for: a body longer
// than announced is refused without its extra bytes landing in the next
// part's place in the upload's file, which complete then publishes as is.
func TestPartPutNeverWritesPastItsRange(t *testing.T) {
	for _, ii := range []bool{false, true} {
		t.Run(map[bool]string{false: "regular", true: "intelligent"}[ii], func(t *testing.T) {
			e := newTEnv(t, Options{MinPartSize: 100})
			a, b := bytes.Repeat([]byte("a"), 100), bytes.Repeat([]byte("b"), 100)
			want := append(append([]byte{}, a...), b...)
			m := e.mpStart(len(want), map[string]any{"fii": ii})
			// Part 1 and part 2 (II: the two halves of part 1) are stored,
			// then the first is sent again with one byte too many.
			first, second := map[string]any{}, map[string]any{}
			n2 := 2
			if ii {
				first, second, n2 = map[string]any{"offset": 0, "fii": true}, map[string]any{"offset": 100, "fii": true}, 1
			}
			m.part(1, a, first)
			etag2 := m.part(n2, b, second).header.Get("ETag")
			u, h := m.partURL(1, len(a), md5b64(a), first)
			long := putPart(t, u, h, bytes.NewReader(append(append([]byte{}, a...), 'X')))
			if long.status != 400 || !strings.Contains(string(long.body), "IncompleteBody") {
				t.Fatalf("a body one byte longer than signed: %d %s", long.status, long.body)
			}
			etag1 := m.part(1, a, first).header.Get("ETag")
			body := map[string]any{"size": len(want), "filename": "f.bin",
				"parts": []map[string]any{{"part_number": 1, "etag": etag1}, {"part_number": 2, "etag": etag2}}}
			if ii {
				if r := e.postJSON("/multipart/commit", m.base(map[string]any{"part": 1, "size": len(want)})); r.status != 200 {
					t.Fatalf("commit: %d %s", r.status, r.body)
				}
				body = map[string]any{"size": len(want), "filename": "f.bin", "fii": true}
			}
			r := m.complete(body)
			if r.status != 200 {
				t.Fatalf("complete: %d %s", r.status, r.body)
			}
			if got := e.do("GET", "/"+r.json(t)["handle"].(string), nil).body; !bytes.Equal(got, want) {
				t.Fatalf("stored file differs from the parts sent: byte 100 is %q, want 'b'", got[100:101])
			}
		})
	}
}

// FuzzUploadCommitNumbers drives multipart/upload, the part PUT it signs
// and multipart/commit with any numbers a client may send (the seed
// corpus in testdata holds the int64 extremes): no answer is a 5xx, an
// accepted upload's range lies inside the file, and its PUT changes no
// byte of the upload's file outside that range, also when the body is
// longer than signed.
func FuzzUploadCommitNumbers(f *testing.F) {
	f.Add(true, int64(1), int64(0), int64(100), uint8(0), int64(4096))
	f.Add(false, int64(1), int64(0), int64(4096), uint8(1), int64(4096))
	f.Add(true, int64(1), int64(math.MaxInt64-49), int64(50), uint8(0), int64(math.MaxInt64))
	dir := f.TempDir()
	s, err := New(Options{DataDir: dir, APIKeys: []string{key}, AppSecret: secret, MinPartSize: 1})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	const total = 4096
	sessions := map[bool]map[string]any{}
	for _, ii := range []bool{false, true} {
		w := serveJSON(s, "/multipart/start", map[string]any{"apikey": key, "filename": "f", "size": total, "fii": ii})
		if w.Code != 200 {
			f.Fatalf("start: %d %s", w.Code, w.Body)
		}
		var st map[string]any
		json.Unmarshal(w.Body.Bytes(), &st)
		sessions[ii] = st
	}
	f.Fuzz(func(t *testing.T, ii bool, part, offset, size int64, extra uint8, commitSize int64) {
		st := sessions[ii]
		id := st["upload_id"].(string)
		sdir := filepath.Join(dir, "sessions", id)
		defer clearPieces(sdir)
		base := map[string]any{"apikey": key, "uri": st["uri"], "upload_id": id, "part": part, "size": size}
		if ii {
			base["offset"], base["fii"] = offset, true
		}
		w := serveJSON(s, "/multipart/upload", base)
		if w.Code >= 500 {
			t.Fatalf("upload: %d %s", w.Code, w.Body)
		}
		if w.Code == 200 {
			putSigned(t, s, sdir, w.Body.Bytes(), int(extra%3))
		}
		if ii {
			c := serveJSON(s, "/multipart/commit", map[string]any{"apikey": key, "uri": st["uri"], "upload_id": id, "part": part, "size": commitSize})
			if c.Code >= 500 || c.Code == 200 && (part < 1 || part > maxParts || commitSize != total) {
				t.Fatalf("commit part %d size %d: %d %s", part, commitSize, c.Code, c.Body)
			}
		}
	})
}

// putSigned checks the range of an accepted multipart/upload answer and
// sends its PUT with extra bytes too many: only the signed range of the
// upload's file may change.
func putSigned(t *testing.T, s *Server, sdir string, answer []byte, extra int) {
	t.Helper()
	var up struct {
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	}
	json.Unmarshal(answer, &up)
	u, err := url.Parse(up.URL)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := strconv.Atoi(u.Path[strings.LastIndexByte(u.Path, '/')+1:])
	off, _ := strconv.ParseInt(u.Query().Get("offset"), 10, 64)
	size, _ := strconv.ParseInt(u.Query().Get("size"), 10, 64)
	const total = 4096
	if part < 1 || part > maxParts || !within(off, size, total) || size <= 0 {
		t.Fatalf("accepted a range outside the file: part %d offset %d size %d", part, off, size)
	}
	before, _ := os.ReadFile(filepath.Join(sdir, dataName))
	body := bytes.Repeat([]byte{0xA5}, int(size)+extra)
	req := httptest.NewRequest("PUT", u.RequestURI(), bytes.NewReader(body))
	for k, v := range up.Headers {
		if k != "Content-MD5" {
			req.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code >= 500 || (extra == 0) != (w.Code == 200) {
		t.Fatalf("PUT of %d bytes signed for %d: %d %s", len(body), size, w.Code, w.Body)
	}
	after, _ := os.ReadFile(filepath.Join(sdir, dataName))
	if len(after) != len(before) {
		t.Fatalf("PUT for part %d [%d,+%d) made the %d-byte file %d bytes", part, off, size, len(before), len(after))
	}
	psize := s.sessions.partSize(filepath.Base(sdir))
	start, _ := partStart(part, psize)
	for i := range after {
		if i < len(before) && after[i] != before[i] && (psize == 0 || int64(i) < start+off || int64(i) >= start+off+size) {
			t.Fatalf("PUT for part %d [%d,+%d) (part size %d) changed byte %d of the file", part, off, size, psize, i)
		}
	}
}

// clearPieces drops what a fuzz iteration stored in a session, so the
// next starts from the same layout (the data file and part size stay).
func clearPieces(sdir string) {
	ents, _ := os.ReadDir(sdir)
	for _, e := range ents {
		if n := e.Name(); n != "session.json" && n != dataName && n != partSizeName {
			os.Remove(filepath.Join(sdir, n))
		}
	}
}

// serveJSON posts v to the server in-process.
func serveJSON(s *Server, path string, v any) *httptest.ResponseRecorder {
	b, _ := json.Marshal(v)
	req := httptest.NewRequest("POST", path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}
