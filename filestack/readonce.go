package filestack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
	"sync/atomic"
)

// A multipart upload reads each byte of the file once: a part is read into
// a buffer of a bounded pool (one buffer per part in flight, so memory is
// parts in flight × part size), its MD5 (for the Upload API) and the file's
// SHA-256 (in order, for the caller's ledger) are computed from that
// buffer, and the PUT sends the same buffer. Reading a part is one system
// call where hashing and sending used to read it in small pieces twice,
// and the caller no longer reads the file a third time for its SHA-256.

// partBuf is one part's bytes, shared by its sender and the file's
// digest; the last of them to be done gives the buffer back.
type partBuf struct {
	part int
	b    []byte
	refs atomic.Int32
	pool *bufPool
}

// release gives the buffer back once every holder released it.
func (pb *partBuf) release() {
	if pb.refs.Add(-1) == 0 {
		pb.pool.put(pb.b)
	}
}

// bufPool lends at most n buffers at once. Buffers are kept in the
// client's free list between uploads, so a run of large files does not
// leave a part's worth of garbage per part.
type bufPool struct {
	slots chan struct{}
	free  *sync.Pool // of *[]byte
}

func newBufPool(n int, free *sync.Pool) *bufPool {
	return &bufPool{slots: make(chan struct{}, max(n, 1)), free: free}
}

// get waits for a free slot and returns a buffer of size bytes, or nil
// when ctx ends first.
func (p *bufPool) get(ctx context.Context, size int64) []byte {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil
	}
	if v, ok := p.free.Get().(*[]byte); ok && int64(cap(*v)) >= size {
		return (*v)[:size]
	}
	return make([]byte, size)
}

func (p *bufPool) put(b []byte) {
	p.free.Put(&b)
	<-p.slots
}

// readPart reads part p whole into b. A file shorter than the upload
// expects is an error, as a failed read is.
func (m *multipart) readPart(p int, b []byte) error {
	off, _ := m.partRange(p)
	return readFull(m.r, b, off, m.c.describe)
}

// readFull fills b from r at off, failing if the file is shorter than
// expected; describe words a failed read (Config.Describe).
func readFull(r io.ReaderAt, b []byte, off int64, describe func(error) string) error {
	got, err := r.ReadAt(b, off)
	if got == len(b) {
		return nil
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return &Error{Op: "read", Message: "reading the file failed: " + describeWith(describe, err), Err: err}
	}
	return &Error{Op: "read", Message: fmt.Sprintf("the file changed while uploading: expected %d bytes at offset %d, found %d", len(b), off, got)}
}

// fileDigest is the file's SHA-256, computed from the parts' buffers in
// part order on a goroutine of its own while the parts are sent. Parts
// are read in parallel and may come out of order: it keeps those ahead
// of the next one until their turn (they are in the pool's buffers, so
// this is bounded by the pool).
type fileDigest struct {
	h    hash.Hash
	next int // the first part not hashed yet; -1 once one was missed
	in   chan *partBuf
	done chan struct{}
}

func newFileDigest() *fileDigest { return &fileDigest{h: sha256.New(), next: 1} }

// add hashes a part's bytes if it is the next one, else forgets the
// digest (a part missed cannot be hashed later without reading it again).
func (d *fileDigest) add(p int, b []byte) {
	if d.next != p {
		d.next = -1
		return
	}
	d.h.Write(b)
	d.next++
}

// start hashes the parts sent to in, in part order, until in is closed;
// when ctx ends the rest are let go, and the digest is then incomplete.
func (d *fileDigest) start(ctx context.Context, depth int) {
	d.in = make(chan *partBuf, depth)
	d.done = make(chan struct{})
	go func() {
		defer close(d.done)
		ahead := map[int]*partBuf{}
		for pb := range d.in {
			ahead[pb.part] = pb
			for d.next > 0 && ahead[d.next] != nil && ctx.Err() == nil {
				next := ahead[d.next]
				delete(ahead, d.next)
				d.add(next.part, next.b)
				next.release()
			}
		}
		for _, pb := range ahead { // parts after one that never came
			d.next = -1
			pb.release()
		}
	}()
}

// sum waits for the digest and returns it as hex, "" unless all parts
// were hashed.
func (d *fileDigest) sum(parts int) string {
	if d.done != nil {
		<-d.done
	}
	if d.next != parts+1 {
		return ""
	}
	return hex.EncodeToString(d.h.Sum(nil))
}

// partJob is a part for a worker to read into its buffer: to send, or
// (a part the server already has, after a gap, on a resume) only to pass
// on to the file's digest.
type partJob struct {
	pb   *partBuf
	send bool
}

// feed hands the parts from the digest's next one to the last to the
// workers in order, each with a buffer of the pool (so it waits while
// every buffer is in use), and closes jobs.
func (m *multipart) feed(ctx context.Context, last int, send map[int]bool, pool *bufPool, first int, jobs chan<- partJob) {
	defer close(jobs)
	for p := first; p <= last && ctx.Err() == nil; p++ {
		_, n := m.partRange(p)
		b := pool.get(ctx, n)
		if b == nil {
			return
		}
		pb := &partBuf{part: p, b: b, pool: pool}
		select {
		case jobs <- partJob{pb: pb, send: send[p]}:
		case <-ctx.Done():
			pb.refs.Store(1)
			pb.release()
			return
		}
	}
}

// work reads a part into its buffer and passes it to the file's digest,
// then, if it is to be sent, hashes and sends it; the buffer goes back to
// the pool once both are done with it.
func (m *multipart) work(ctx context.Context, h *partHasher, dig *fileDigest, j partJob) error {
	pb := j.pb
	if err := m.readPart(pb.part, pb.b); err != nil {
		pb.refs.Store(1)
		pb.release()
		return err
	}
	if !j.send {
		pb.refs.Store(1)
		dig.in <- pb // never waits: it holds at most the pool's buffers
		return nil
	}
	pb.refs.Store(2)
	dig.in <- pb
	defer pb.release()
	return m.sendPart(ctx, h, pb)
}
