package filestack

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// The batch hasher (md5-simd when a batch has 4 or more parts) gives
// crypto/md5's digests for every part, whatever their sizes and the batch.
func TestPartHasherMatchesCryptoMD5(t *testing.T) {
	data := make([]byte, 3<<20+777)
	rand.NewChaCha8([32]byte{7}).Read(data)
	r := bytes.NewReader(data)
	for _, tc := range []struct {
		name           string
		parts, workers int
		partSize       int64
		simd           bool
	}{
		{"one-part", 1, 8, 1 << 20, false},
		{"three-parts", 3, 8, 1 << 20, false},
		{"lanes", 16, 8, 200 << 10, true},
		{"huge-parts", 16, 8, 1 << 30, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newPartHasher(tc.parts, tc.workers, tc.partSize, nil)
			defer h.close()
			if (h.lanes != nil) != tc.simd || h.batch < 1 {
				t.Fatalf("lanes %v, batch %d; want lanes %v", h.lanes != nil, h.batch, tc.simd)
			}
			// Ranges that end inside a 64-byte block, span the 32 KiB
			// internal blocks and the 256 KiB reads, or are empty.
			ranges := [][2]int64{{0, 0}, {1, 63}, {5, 64}, {100, 32<<10 + 1}, {3, 256<<10 + 65}, {0, int64(len(data))}}
			for _, rg := range ranges {
				got, err := h.sum(r, rg[0], rg[1])
				want := md5.Sum(data[rg[0] : rg[0]+rg[1]])
				if err != nil || got != base64.StdEncoding.EncodeToString(want[:]) {
					t.Fatalf("range %v: %q, %v; want %x", rg, got, err, want)
				}
			}
		})
	}
}

// feed hands every part over once, in order, each with its own MD5, and
// stops with the read error of a file shorter than the session says.
func TestFeedHashesEveryPartInOrder(t *testing.T) {
	data := make([]byte, 10*64<<10+5)
	rand.NewChaCha8([32]byte{8}).Read(data)
	m := &multipart{r: bytes.NewReader(data), size: int64(len(data))}
	m.sess.PartSize, m.sess.Size = 64<<10, int64(len(data))
	todo := []int{1, 2, 4, 5, 6, 7, 8, 9, 10, 11} // 3 was sent before
	jobs := make(chan hashedPart, 100)
	if err := m.feed(context.Background(), todo, 2, jobs); err != nil {
		t.Fatal(err)
	}
	var got []int
	for hp := range jobs {
		off, n := m.partRange(hp.part)
		want := md5.Sum(data[off : off+n])
		if hp.sum != base64.StdEncoding.EncodeToString(want[:]) {
			t.Fatalf("part %d: md5 %s, want %x", hp.part, hp.sum, want)
		}
		got = append(got, hp.part)
	}
	if len(got) != len(todo) {
		t.Fatalf("parts handed over %v, want %v", got, todo)
	}
	for i := range got {
		if got[i] != todo[i] {
			t.Fatalf("parts handed over %v, want %v", got, todo)
		}
	}

	short := &multipart{r: bytes.NewReader(data[:5*64<<10]), size: int64(len(data)), sess: m.sess}
	err := short.feed(context.Background(), todo, 2, make(chan hashedPart, 100))
	var fe *Error
	if !errors.As(err, &fe) || fe.Op != "read" {
		t.Fatalf("short file: %v, want a read error", err)
	}
}

// A multi-part upload whose parts are hashed by md5-simd is stored intact:
// the server checks every part's Content-MD5 against the bytes it got.
func TestUploadWithLaneHashing(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize, PartConcurrency: 3})
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
