package filestack

import (
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"hash"
	"io"
	"time"
)

// Session is the resumable state of a multipart upload: enough to send the
// missing parts later, from another process. Persist it as JSON.
type Session struct {
	URI            string            `json:"uri"`
	Region         string            `json:"region"`
	UploadID       string            `json:"upload_id"`
	LocationURL    string            `json:"location_url"`
	LocationRegion string            `json:"location_region,omitempty"`
	Intelligent    bool              `json:"intelligent"`
	PartSize       int64             `json:"part_size"`
	Size           int64             `json:"size"`
	ModTime        time.Time         `json:"mod_time"`
	Filename       string            `json:"filename"`
	Mimetype       string            `json:"mimetype"`
	Store          StoreOptions      `json:"store"`
	UploadTags     map[string]string `json:"upload_tags,omitempty"`
	Parts          []DonePart        `json:"parts"`
	Started        time.Time         `json:"started"`
	// Endpoint is the upload base the session was started at. A resume
	// through a client with another base (the local server moved to
	// another port, or the key now points elsewhere) starts over instead
	// of calling an address that may no longer exist.
	Endpoint string `json:"endpoint,omitempty"`
}

// DonePart is a part the server has: its ETag (regular uploads) and the
// MD5 of its bytes, to notice a file that changed before resuming.
type DonePart struct {
	Number int    `json:"n"`
	ETag   string `json:"etag,omitempty"`
	Size   int64  `json:"size"`
	MD5    string `json:"md5"`
}

// NumParts is how many parts the upload has in all.
func (s Session) NumParts() int {
	if s.PartSize <= 0 {
		return 0
	}
	return int((s.Size + s.PartSize - 1) / s.PartSize)
}

// DoneBytes is how many bytes the server already has.
func (s Session) DoneBytes() int64 {
	var n int64
	for _, p := range s.Parts {
		n += p.Size
	}
	return n
}

// partSizeFor keeps the part count within S3's 10,000 by growing parts for
// very large files (rounded up to a whole MiB).
func partSizeFor(size, want int64) int64 {
	if need := (size + maxPartsPerUpload - 1) / maxPartsPerUpload; need > want {
		return (need + (1 << 20) - 1) &^ ((1 << 20) - 1)
	}
	return want
}

// partMD5 hashes a byte range, failing if the file is shorter than expected.
func partMD5(r io.ReaderAt, off, n int64, describe func(error) string) (string, error) {
	h := md5.New()
	if err := hashRange(h, r, off, n, nil, describe); err != nil {
		return "", err
	}
	return sumB64(h), nil
}

// hashRange feeds n bytes at off to w (one or more hashers), failing if the
// file is shorter than expected. It reads into buf (nil: a 32 KiB one);
// describe words a failed read (Config.Describe; nil: Go's own text).
func hashRange(w io.Writer, r io.ReaderAt, off, n int64, buf []byte, describe func(error) string) error {
	got, err := io.CopyBuffer(w, io.NewSectionReader(r, off, n), buf)
	if err != nil {
		return &Error{Op: "read", Message: "reading the file failed: " + describeWith(describe, err), Err: err}
	}
	if got != n {
		return &Error{Op: "read", Message: fmt.Sprintf("the file changed while uploading: expected %d bytes at offset %d, found %d", n, off, got)}
	}
	return nil
}

// sumB64 is the digest as the Upload API and Content-MD5 want it.
func sumB64(h hash.Hash) string { return base64.StdEncoding.EncodeToString(h.Sum(nil)) }
