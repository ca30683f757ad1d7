package filestack

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// The part hasher (md5-simd when 4 or more parts are in flight) gives
// crypto/md5's digests for every buffer, whatever their sizes, with many
// hashed at once.
func TestPartHasherMatchesCryptoMD5(t *testing.T) {
	data := make([]byte, 3<<20+777)
	rand.NewChaCha8([32]byte{7}).Read(data)
	for _, tc := range []struct {
		name    string
		streams int
		simd    bool
	}{{"one", 1, false}, {"three", 3, false}, {"lanes", 8, true}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newPartHasher(tc.streams)
			defer h.close()
			if (h.lanes != nil) != tc.simd {
				t.Fatalf("lanes %v; want %v", h.lanes != nil, tc.simd)
			}
			// Ranges that end inside a 64-byte block, span md5-simd's
			// internal blocks, or are empty; all hashed at once.
			ranges := [][2]int64{{0, 0}, {1, 63}, {5, 64}, {100, 32<<10 + 1}, {3, 256<<10 + 65}, {0, int64(len(data))}}
			sums := make([]string, len(ranges))
			var wg sync.WaitGroup
			for i, rg := range ranges {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sums[i] = h.sumBytes(data[rg[0] : rg[0]+rg[1]])
				}()
			}
			wg.Wait()
			for i, rg := range ranges {
				want := md5.Sum(data[rg[0] : rg[0]+rg[1]])
				if sums[i] != base64.StdEncoding.EncodeToString(want[:]) {
					t.Fatalf("range %v: %q; want %x", rg, sums[i], want)
				}
			}
		})
	}
}

// The file's digest takes the parts in any order and hashes them in part
// order, giving every buffer back; a part that never comes leaves it
// incomplete ("") and still gives back the buffers it held.
func TestFileDigestOrdersParts(t *testing.T) {
	data := make([]byte, 5*1000+7)
	rand.NewChaCha8([32]byte{8}).Read(data)
	var free sync.Pool
	part := func(pool *bufPool, p int) *partBuf {
		off := (p - 1) * 1000
		b := pool.get(context.Background(), int64(min(1000, len(data)-off)))
		copy(b, data[off:])
		pb := &partBuf{part: p, b: b, pool: pool}
		pb.refs.Store(1)
		return pb
	}
	for _, tc := range []struct {
		order []int
		whole bool
	}{{[]int{1, 2, 3, 4, 5, 6}, true}, {[]int{3, 1, 6, 2, 5, 4}, true}, {[]int{6, 5, 4, 3, 2, 1}, true}, {[]int{1, 3, 4, 5, 6}, false}} {
		pool := newBufPool(6, &free)
		dig := newFileDigest()
		dig.start(context.Background(), 6)
		for _, p := range tc.order {
			dig.in <- part(pool, p)
		}
		close(dig.in)
		sum, want := dig.sum(6), sha256.Sum256(data)
		if tc.whole && sum != hex.EncodeToString(want[:]) || !tc.whole && sum != "" {
			t.Fatalf("order %v: digest %q (want %x: %v)", tc.order, sum, want, tc.whole)
		}
		if len(pool.slots) != 0 {
			t.Fatalf("order %v: %d buffers not given back", tc.order, len(pool.slots))
		}
	}
}

// A part is read whole or not at all: a file shorter than the session
// says is a read error that says so.
func TestReadPartOfShortFile(t *testing.T) {
	data := make([]byte, 3*64<<10)
	m := &multipart{c: &Client{}, r: bytes.NewReader(data[:2*64<<10+5]), size: int64(len(data))}
	m.sess.PartSize, m.sess.Size = 64<<10, int64(len(data))
	b := make([]byte, 64<<10)
	if err := m.readPart(2, b); err != nil {
		t.Fatal(err)
	}
	err := m.readPart(3, b)
	var fe *Error
	if !errors.As(err, &fe) || fe.Op != "read" || !strings.Contains(fe.Message, "changed while uploading") {
		t.Fatalf("short file: %v, want a read error", err)
	}
}

// A multi-part upload whose parts are hashed by md5-simd is stored intact:
// the server checks every part's Content-MD5 against the bytes it got.
func TestUploadWithLaneHashing(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize, PartConcurrency: 4})
	path, data := randomFile(t, 6*int(MinPartSize)+4321)
	var ev events
	f, err := e.c.Upload(context.Background(), path, UploadOptions{Progress: ev.add})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.download(f.Handle); !bytes.Equal(got, data) {
		t.Fatalf("downloaded %d bytes, differ from the %d uploaded", len(got), len(data))
	}
	checkProgress(t, ev.list(), int64(len(data)))
}
