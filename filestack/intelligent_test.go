package filestack

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// countingReaderAt counts the bytes read from the file.
type countingReaderAt struct {
	r *bytes.Reader
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// iiUpload sends data by intelligent ingestion and returns the bytes read
// from the file and the parts of the last session snapshot.
func iiUpload(t *testing.T, e *env, data []byte) (int64, []DonePart) {
	t.Helper()
	r := &countingReaderAt{r: bytes.NewReader(data)}
	parts := iiSend(t, e, r, data)
	return r.n.Load(), parts
}

// iiSend sends data, read through r, by intelligent ingestion, checks that
// the stored file has its bytes and returns the parts of the last session
// snapshot.
func iiSend(t *testing.T, e *env, r *countingReaderAt, data []byte) []DonePart {
	t.Helper()
	var mu sync.Mutex
	var parts []DonePart
	opts := UploadOptions{Intelligent: true, Filename: "ii.bin", OnSession: func(s Session) {
		mu.Lock()
		parts = s.Parts
		mu.Unlock()
	}}
	f, err := e.c.upload(context.Background(), r, int64(len(data)), time.Now(), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.download(f.Handle), data) {
		t.Fatal("bytes differ")
	}
	return parts
}

// checkPartSums compares each committed part's MD5 with the part's bytes.
func checkPartSums(t *testing.T, data []byte, parts []DonePart) {
	t.Helper()
	if want := (len(data) + iiPartSize - 1) / iiPartSize; len(parts) != want {
		t.Fatalf("%d parts, want %d", len(parts), want)
	}
	for _, p := range parts {
		off := int64(p.Number-1) * iiPartSize
		sum := md5.Sum(data[off : off+p.Size])
		if p.MD5 != base64.StdEncoding.EncodeToString(sum[:]) {
			t.Fatalf("part %d: MD5 %s does not match its bytes", p.Number, p.MD5)
		}
	}
}

// With the chunk size at the part size, each byte is read twice: once to
// hash it (chunk and part digests are the same) and once to send it.
func TestIntelligentReadsEachByteOnceToHash(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{})
	_, data := randomFile(t, 2*iiPartSize+12345)
	read, parts := iiUpload(t, e, data)
	sniff := int64(3072) // the mimetype sniff reads the first 3 KiB
	if want := 2*int64(len(data)) + sniff; read != want {
		t.Fatalf("read %d bytes from the file, want %d (hash once + send once + sniff)", read, want)
	}
	checkPartSums(t, data, parts)
}

// After a failed chunk halves the chunk size, the part's MD5 (fed chunk by
// chunk) still matches the part's bytes: when a whole-part chunk fails
// (put 1), when a smaller chunk fails after feeding the part's hasher
// (puts 1 and 3), and for the parts that start with the smaller chunk.
func TestIntelligentPartSumsAfterHalving(t *testing.T) {
	for _, nths := range [][]int{{1}, {2}, {1, 3}} {
		var faults []emulator.Fault
		for _, n := range nths {
			faults = append(faults, emulator.Fault{Endpoint: "put", Nth: n, Status: 400})
		}
		e := newEnv(t, emulator.Options{Faults: faults}, Config{PartConcurrency: 1})
		_, data := randomFile(t, 3*iiPartSize+777)
		_, parts := iiUpload(t, e, data)
		checkPartSums(t, data, parts)
		if got := len(puts(e)); got <= len(parts) {
			t.Fatalf("faults %v: %d PUTs, the faults did not bite", nths, got)
		}
	}
}

// readsAtFirstUpload records how many bytes of the file were read when the
// first /multipart/upload call went out.
type readsAtFirstUpload struct {
	r    *countingReaderAt
	once sync.Once
	n    atomic.Int64
}

func (t *readsAtFirstUpload) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/multipart/upload") {
		t.once.Do(func() { t.n.Store(t.r.n.Load()) })
	}
	return http.DefaultTransport.RoundTrip(req)
}

// Intelligent ingestion hashes its parts as a regular upload does: ahead
// of sending, a batch of parts at once with md5-simd's lanes, not chunk by
// chunk with crypto/md5 as it sends (the 1.46× gap). So before the
// first part goes out (one part at a time here), every part of the
// batch has been read, and the parts' MD5s are still right.
func TestIntelligentHashesPartsAheadLikeRegular(t *testing.T) {
	_, data := randomFile(t, 5*iiPartSize+4321)
	r := &countingReaderAt{r: bytes.NewReader(data)}
	rt := &readsAtFirstUpload{r: r}
	e := newEnv(t, emulator.Options{}, Config{PartConcurrency: 1, Transport: rt})
	parts := iiSend(t, e, r, data)
	sniff := int64(3072)
	if got, want := rt.n.Load(), int64(len(data))+sniff; got != want {
		t.Fatalf("%d bytes read before the first part went out, want the whole batch hashed ahead (%d)", got, want)
	}
	checkPartSums(t, data, parts)
	if h := newPartHasher(6, 1, iiPartSize, nil); h.lanes == nil {
		t.Fatal("a batch of 6 parts is not hashed with md5-simd's lanes")
	} else {
		h.close()
	}
}
