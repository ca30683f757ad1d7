package filestack

import (
	"crypto/md5"
	"encoding/base64"

	md5simd "github.com/minio/md5-simd"
)

// Every regular part's MD5 goes into its /multipart/upload call and comes
// back as the PUT's Content-MD5, so a part is hashed before it is sent, and
// hashing is most of an upload's CPU work on a fast link.
//
// When several parts are hashed at once, MinIO's md5-simd does it: one
// goroutine hashes up to 16 streams side by side with AVX-512 (8 with
// AVX2), for a fraction of the CPU time of as many crypto/md5 hashers
// (on this kind of machine 8 streams cost a third, 16 a quarter). With
// fewer than 4 streams at once it costs more than crypto/md5, so uploads
// with fewer parts in flight use crypto/md5, and so does md5-simd itself
// on CPUs without AVX2 and on other architectures.
const (
	simdMinStreams = 4 // below this crypto/md5 needs less CPU
)

// partHasher hashes the parts in a buffer pool; the zero value uses
// crypto/md5. It is safe for concurrent use: each part in flight is a lane.
type partHasher struct {
	lanes md5simd.Server
}

// newPartHasher chooses how to hash when up to streams parts are hashed
// at once. Call close once hashing is over.
func newPartHasher(streams int) *partHasher {
	if streams < simdMinStreams {
		return &partHasher{}
	}
	return &partHasher{lanes: md5simd.NewServer()}
}

// sumBytes is the MD5 of b as base64 (the Upload API's md5 field).
func (p *partHasher) sumBytes(b []byte) string {
	if p == nil || p.lanes == nil {
		return md5B64(b)
	}
	h := p.lanes.NewHash()
	defer h.Close() // after Sum
	h.Write(b)
	return sumB64(h)
}

// close stops md5-simd's goroutine.
func (p *partHasher) close() {
	if p.lanes != nil {
		p.lanes.Close()
	}
}

// md5B64 is crypto/md5's digest of b as base64.
func md5B64(b []byte) string {
	s := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(s[:])
}
