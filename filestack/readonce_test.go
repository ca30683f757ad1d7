package filestack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// A regular multipart upload reads each byte of the file once: the part's
// buffer gives its MD5, the file's SHA-256 and the PUT's body.
func TestRegularUploadReadsEachByteOnce(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize, PartConcurrency: 4})
	_, data := randomFile(t, 5*int(MinPartSize)+4321)
	r := &countingReaderAt{r: bytes.NewReader(data)}
	f, err := e.c.upload(context.Background(), r, int64(len(data)), time.Now(), UploadOptions{Filename: "r.bin", ForceMultipart: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.download(f.Handle), data) {
		t.Fatal("bytes differ")
	}
	sniff := int64(3072) // the mimetype sniff reads the first 3 KiB
	if want := int64(len(data)) + sniff; r.n.Load() != want {
		t.Fatalf("read %d bytes from the file, want %d (once + sniff)", r.n.Load(), want)
	}
	if f.SHA256 != sha256Hex(data) {
		t.Fatalf("SHA256 %q, want %s", f.SHA256, sha256Hex(data))
	}
}

// Upload returns the SHA-256 of what it sent (what sha256sum says of the
// file) for every way a file goes: simple store, zero bytes, regular
// multipart at several concurrencies, intelligent ingestion (also with
// chunks halved by failed PUTs), and under dropped PUTs and refused calls.
func TestUploadReturnsSHA256(t *testing.T) {
	for _, tc := range []struct {
		name   string
		size   int
		cfg    Config
		opts   UploadOptions
		faults string
	}{
		{"simple", 1000, Config{}, UploadOptions{}, ""},
		{"zero", 0, Config{}, UploadOptions{}, ""},
		{"regular-1", 3*int(MinPartSize) + 1, Config{PartSize: MinPartSize, PartConcurrency: 1}, UploadOptions{ForceMultipart: true}, ""},
		{"regular-8", 9*int(MinPartSize) + 7, Config{PartSize: MinPartSize}, UploadOptions{}, ""},
		{"regular-faults", 6 * int(MinPartSize), Config{PartSize: MinPartSize, PartConcurrency: 4}, UploadOptions{}, "put:rate=0.3,drop,seed=3"},
		{"upload-refused", 6*int(MinPartSize) + 1, Config{PartSize: MinPartSize, PartConcurrency: 4}, UploadOptions{}, "upload:rate=0.3,status=503,seed=4"},
		{"intelligent", 2*iiPartSize + 99, Config{}, UploadOptions{Intelligent: true}, ""},
		{"intelligent-halved", 3*iiPartSize + 5, Config{PartConcurrency: 2}, UploadOptions{Intelligent: true}, "put:nth=2,status=400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var eo emulator.Options
			if tc.faults != "" {
				f, err := emulator.ParseFault(tc.faults)
				if err != nil {
					t.Fatal(err)
				}
				eo.Faults = []emulator.Fault{f}
			}
			e := newEnv(t, eo, tc.cfg)
			path, data := randomFile(t, tc.size)
			f, err := e.c.Upload(context.Background(), path, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(e.download(f.Handle), data) {
				t.Fatal("bytes differ")
			}
			if f.SHA256 != sha256Hex(data) {
				t.Fatalf("SHA256 %q, want %s", f.SHA256, sha256Hex(data))
			}
		})
	}
}

// A resumed upload's SHA-256 is completed from the parts it re-reads to
// check them: the parts from the first on without a gap are read once
// (checked and hashed), a part sent after a gap once more (to hash it in
// order), the missing parts once.
func TestResumeReturnsSHA256(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sent    []int // parts the journal says were sent
		rereads int   // parts read twice
	}{
		{"prefix", []int{1, 2}, 0},
		{"gap", []int{1, 2, 4}, 1},
		{"none", nil, 0},
		{"all", []int{1, 2, 3, 4, 5}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize, PartConcurrency: 2})
			_, data := randomFile(t, 4*int(MinPartSize)+123)
			sess := sessionWithParts(t, e, data, tc.sent)
			r := &countingReaderAt{r: bytes.NewReader(data)}
			f, err := e.c.upload(context.Background(), r, int64(len(data)), time.Time{}, UploadOptions{}, &sess)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(e.download(f.Handle), data) {
				t.Fatal("bytes differ")
			}
			if f.SHA256 != sha256Hex(data) {
				t.Fatalf("SHA256 %q, want %s", f.SHA256, sha256Hex(data))
			}
			if want := int64(len(data)) + 3072 + int64(tc.rereads)*MinPartSize; r.n.Load() != want {
				t.Fatalf("read %d bytes, want %d", r.n.Load(), want)
			}
		})
	}
}

// sessionWithParts starts a multipart upload of data and sends the given
// parts through the client, returning the session a journal would hold
// (as JSON and back).
func sessionWithParts(t *testing.T, e *env, data []byte, parts []int) Session {
	t.Helper()
	var mu sync.Mutex
	var saved Session
	m := &multipart{c: e.c, r: bytes.NewReader(data), size: int64(len(data)),
		opts: UploadOptions{Filename: "s.bin", Mimetype: "application/octet-stream", OnSession: func(s Session) {
			mu.Lock()
			saved = s
			mu.Unlock()
		}}}
	m.tr = newTracker(context.Background(), nil, m.size)
	if err := m.start(context.Background(), time.Time{}); err != nil {
		t.Fatal(err)
	}
	m.snapshot()
	for _, p := range parts {
		off, n := m.partRange(p)
		b := data[off : off+n]
		if err := m.sendPart(context.Background(), nil, &partBuf{part: p, b: b}); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := json.Marshal(saved)
	var sess Session
	if err := json.Unmarshal(b, &sess); err != nil {
		t.Fatal(err)
	}
	return sess
}

// The pool lends at most its size in buffers: one more waits until one
// comes back, or until the upload is cancelled.
func TestPartBuffersBounded(t *testing.T) {
	var free sync.Pool
	pool := newBufPool(3, &free)
	ctx := context.Background()
	var held [][]byte
	for range 3 {
		held = append(held, pool.get(ctx, 100))
	}
	got := make(chan []byte)
	go func() { got <- pool.get(ctx, 100) }()
	select {
	case <-got:
		t.Fatal("a fourth buffer was lent while three were out")
	case <-time.After(50 * time.Millisecond):
	}
	pool.put(held[0])
	select {
	case b := <-got:
		if len(b) != 100 {
			t.Fatalf("buffer of %d bytes, want 100", len(b))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting get did not get the buffer given back")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if b := pool.get(cctx, 100); b != nil {
		t.Fatal("a cancelled get returned a buffer while all were out")
	}
}
