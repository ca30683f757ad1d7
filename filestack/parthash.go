package filestack

import (
	"context"
	"crypto/md5"
	"hash"
	"io"
	"sync"

	md5simd "github.com/minio/md5-simd"
)

// Every regular part's MD5 goes into its /multipart/upload call and comes
// back as the PUT's Content-MD5, so a part is hashed before it is sent, and
// hashing is most of an upload's CPU work on a fast link.
//
// When enough parts are hashed at once, MinIO's md5-simd does it: one
// goroutine hashes up to 16 streams side by side with AVX-512 (8 with
// AVX2), for about a third of the CPU time of as many crypto/md5 hashers
// with 16 streams (measured on AVX-512). With fewer than 4 streams at once
// it costs more than crypto/md5, so small batches use crypto/md5, and so
// does md5-simd itself on CPUs without AVX2 and on other architectures.
//
// Parts are hashed ahead from the file (read again to send) rather than
// read once into part-sized buffers that give the MD5, the PUT's body and
// the file's SHA-256: that was built and measured (issue 24) and cost
// more, a 1 GiB upload 2.8 CPU-s against 2.4 and over 100 MiB peak RSS
// against 40. With only the parts in flight in memory, md5-simd's lanes
// are mostly empty (parts reach the hasher at different times), and 8 MiB
// buffers go through main memory where 256 KiB reads of the page cache
// stay in the CPU's cache.
const (
	simdLanes      = 16        // md5-simd's lanes with AVX-512
	simdMinStreams = 4         // below this crypto/md5 needs less CPU
	hashAheadBytes = 256 << 20 // bound on one batch, so Ctrl-C is not kept waiting
	// hashReadSize is the read size while hashing: eight times fewer
	// system calls than io.Copy's 32 KiB, which on a virtual machine's
	// costly syscalls is a tenth of the upload's CPU time.
	hashReadSize = 256 << 10
)

// partHasher hashes a batch of parts at a time; the zero value uses
// crypto/md5.
type partHasher struct {
	lanes md5simd.Server
	batch int       // parts hashed at once
	bufs  sync.Pool // of *[]byte, hashReadSize each
	// describe words a failed read (Config.Describe).
	describe func(error) string
}

// newPartHasher chooses how to hash parts of partSize bytes: batches of
// one part per sender with crypto/md5 (hashed in parallel on as many
// cores), or batches that fill md5-simd's lanes when the parts are many
// and small enough. Call close once hashing is over.
func newPartHasher(parts, workers int, partSize int64, describe func(error) string) *partHasher {
	batch := min(simdLanes, parts, int(max(1, hashAheadBytes/max(partSize, 1))))
	if batch < simdMinStreams {
		return &partHasher{batch: max(1, workers), describe: describe}
	}
	return &partHasher{lanes: md5simd.NewServer(), batch: max(batch, workers), describe: describe}
}

// sum hashes n bytes at off of r and returns the digest as base64, failing
// when the file is shorter than expected.
func (p *partHasher) sum(r io.ReaderAt, off, n int64) (string, error) {
	var h hash.Hash = md5.New()
	if p.lanes != nil {
		lh := p.lanes.NewHash()
		defer lh.Close() // after Sum
		h = lh
	}
	buf, _ := p.bufs.Get().(*[]byte)
	if buf == nil {
		b := make([]byte, hashReadSize)
		buf = &b
	}
	defer p.bufs.Put(buf)
	if err := hashRange(h, r, off, n, *buf, p.describe); err != nil {
		return "", err
	}
	return sumB64(h), nil
}

// close stops md5-simd's goroutine.
func (p *partHasher) close() {
	if p.lanes != nil {
		p.lanes.Close()
	}
}

// hashedPart is a part to send with its MD5.
type hashedPart struct {
	part int
	sum  string
}

// feed hands the parts in todo to the senders and closes jobs. Parts
// (regular and intelligent ingestion alike) are hashed first, a batch at
// a time, all of a batch at once (so md5-simd's lanes stay full); the next
// batch is hashed while the senders work through the queued one. It
// returns the first read error.
func (m *multipart) feed(ctx context.Context, todo []int, workers int, jobs chan<- hashedPart) error {
	defer close(jobs)
	give := func(hp hashedPart) bool {
		select {
		case jobs <- hp:
			return true
		case <-ctx.Done():
			return false
		}
	}
	h := newPartHasher(len(todo), workers, m.sess.PartSize, m.c.describe)
	defer h.close()
	for len(todo) > 0 && ctx.Err() == nil {
		batch := todo[:min(h.batch, len(todo))]
		todo = todo[len(batch):]
		sums, err := m.hashBatch(h, batch)
		if err != nil {
			return err
		}
		for i, p := range batch {
			if !give(hashedPart{part: p, sum: sums[i]}) {
				return nil
			}
		}
	}
	return nil
}

// hashBatch hashes parts concurrently and returns their MD5s in order.
func (m *multipart) hashBatch(h *partHasher, parts []int) ([]string, error) {
	spans := make([]span, len(parts))
	for i, p := range parts {
		spans[i].off, spans[i].n = m.partRange(p)
	}
	return hashSpans(h, m.r, spans)
}

// span is a byte range of the file: a part, or a piece of one.
type span struct{ off, n int64 }

// hashSpans hashes byte ranges of r concurrently and returns their MD5s
// in order, or the first read error.
func hashSpans(h *partHasher, r io.ReaderAt, spans []span) ([]string, error) {
	sums := make([]string, len(spans))
	errs := make([]error, len(spans))
	var wg sync.WaitGroup
	for i, s := range spans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sums[i], errs[i] = h.sum(r, s.off, s.n)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return sums, nil
}
