package emulator

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// maxParts is S3's limit on parts per upload.
const maxParts = 10000

// handleMultipart serves POST /multipart/{start,upload,commit,complete}.
func (s *Server) handleMultipart(ep string, w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.writeUploadAPIError(w, errorf(http.StatusMethodNotAllowed, "%s needs POST", ep))
		return
	}
	q, err := decodeUpReq(r, s.opts.MaxRequestBody)
	if err != nil {
		s.writeUploadAPIError(w, err)
		return
	}
	if q.APIKey == "" {
		s.writeUploadAPIError(w, errorf(http.StatusBadRequest, "missing apikey"))
		return
	}
	if !s.keyAccepted(q.APIKey) {
		s.writeUploadAPIError(w, errorf(http.StatusUnauthorized, "Invalid Application: API key not recognised"))
		return
	}
	var status int
	var out any
	switch ep {
	case epStart:
		out, err = s.mpStart(r, q)
	case epUpload:
		out, err = s.mpUpload(r, q)
	case epCommit:
		err = s.mpCommit(q)
	case epComplete:
		status, out, err = s.mpComplete(r, q)
	}
	if err != nil {
		s.writeUploadAPIError(w, err)
		return
	}
	if ep == epCommit {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		return
	}
	if status == 0 {
		status = http.StatusOK
	}
	writeJSON(w, status, out)
}

// authorizeUpload applies the policy (when required or given) to an Upload
// API call: the pick call, size limits, and path/container regexes.
func (s *Server) authorizeUpload(q *upReq, size int64, store storeOpts) error {
	err := s.authorize(q.Policy, q.Signature, s.opts.SecurityRequired,
		access{call: "pick", size: size, path: store.Path, container: store.Container})
	if ae, ok := err.(*apiError); ok && ae.status == http.StatusForbidden {
		return errorf(http.StatusForbidden, "Invalid App policy: %s", ae.msg)
	}
	return err
}

func (s *Server) mpStart(r *http.Request, q *upReq) (any, error) {
	switch {
	case !q.HasSize || q.Size <= 0:
		return nil, errorf(http.StatusBadRequest, "size must be a positive number of bytes")
	case q.Size > s.opts.MaxUploadSize:
		return nil, errorf(http.StatusBadRequest, "size %d exceeds the maximum upload size of %d bytes", q.Size, s.opts.MaxUploadSize)
	case q.Filename == "":
		return nil, errorf(http.StatusBadRequest, "missing filename")
	}
	if err := s.authorizeUpload(q, q.Size, q.Store); err != nil {
		return nil, err
	}
	sess := &session{Filename: q.Filename, Mimetype: q.Mimetype, Size: q.Size, Store: q.Store,
		II: q.FII && !s.opts.DisableIntelligent, Tags: q.UploadTags, Workflows: q.Workflows}
	if err := s.sessions.create(sess); err != nil {
		return nil, err
	}
	out := map[string]any{"uri": sess.URI, "region": sess.Region, "upload_id": sess.UploadID,
		"location_url": s.locationURL(r)}
	if sess.II {
		out["upload_type"] = "intelligent_ingestion"
	}
	return out, nil
}

// locationURL is the host later calls go to. Filestack answers a bare host
// and SDKs prepend https://; over plain HTTP the emulator includes the
// scheme, which filestack-js and fsdeck accept.
func (s *Server) locationURL(r *http.Request) string {
	base := s.baseURL(r)
	if strings.HasPrefix(base, "https://") {
		return strings.TrimPrefix(base, "https://")
	}
	return base
}

func (s *Server) mpUpload(r *http.Request, q *upReq) (any, error) {
	sess, err := s.sessions.load(q)
	if err != nil {
		return nil, err
	}
	switch {
	case q.Part < 1 || q.Part > maxParts:
		return nil, errorf(http.StatusBadRequest, "part number %d out of range 1..%d", q.Part, maxParts)
	case !q.HasSize || q.Size <= 0:
		return nil, errorf(http.StatusBadRequest, "size must be the positive byte count of this part")
	case q.Size > sess.Size:
		return nil, errorf(http.StatusBadRequest, "part size %d is larger than the whole file (%d)", q.Size, sess.Size)
	case q.HasOffset && !within(q.Offset, q.Size, sess.Size):
		return nil, errorf(http.StatusBadRequest, "offset %d with size %d lies outside the file", q.Offset, q.Size)
	case q.HasOffset && !sess.II:
		return nil, errorf(http.StatusBadRequest, "offset is only valid for intelligent ingestion uploads")
	}
	if q.MD5 != "" {
		if raw, err := base64.StdEncoding.DecodeString(q.MD5); err != nil || len(raw) != md5.Size {
			return nil, errorf(http.StatusBadRequest, "md5 must be the base64 of a 16-byte MD5 digest")
		}
	}
	if err := s.authorizeUpload(q, -1, sess.Store); err != nil {
		return nil, err
	}
	date := s.opts.Now().UTC().Format("20060102T150405Z")
	sig := s.sessions.partSignature(sess.UploadID, q.Part, q.Offset, q.Size, q.MD5, date)
	v := url.Values{"partNumber": {strconv.Itoa(q.Part)}, "uploadId": {sess.UploadID},
		"offset": {strconv.FormatInt(q.Offset, 10)}, "size": {strconv.FormatInt(q.Size, 10)}}
	headers := map[string]string{
		"Authorization": fmt.Sprintf("AWS4-HMAC-SHA256 Credential=FSDECKEMULATOR/%s/%s/s3/aws4_request, "+
			"SignedHeaders=content-md5;host;x-amz-content-sha256;x-amz-date, Signature=%s", date[:8], sess.Region, sig),
		"x-amz-content-sha256": "UNSIGNED-PAYLOAD",
		"x-amz-date":           date,
	}
	if q.MD5 != "" {
		headers["Content-MD5"] = q.MD5
	}
	return map[string]any{
		"url":          fmt.Sprintf("%s/s3/%s/%d?%s", s.baseURL(r), sess.UploadID, q.Part, v.Encode()),
		"headers":      headers,
		"location_url": s.locationURL(r),
	}, nil
}

// handlePartPut is the presigned PUT: it checks the signature, streams the
// body to disk while hashing, compares Content-MD5 and size, and answers
// with a quoted ETag the way S3 does.
func (s *Server) handlePartPut(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		writeS3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "parts are sent with PUT")
		return
	}
	id, part, offset, size, err := s.checkPartURL(r)
	if err != nil {
		writeS3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", err.Error())
		return
	}
	sess, err := s.sessions.byID(id)
	if err != nil {
		writeS3Error(w, http.StatusNotFound, "NoSuchUpload", "The specified upload does not exist.")
		return
	}
	pw, err := s.sessions.beginPut(sess, part, offset, size, s.opts.MinPartSize)
	if err != nil {
		writePartStoreError(w, "OperationAborted", err)
		return
	}
	h := md5.New()
	// Exactly the signed size goes to disk; one byte more is only looked
	// for, never written, so a longer body cannot touch the bytes after.
	n, err := io.Copy(io.MultiWriter(pw, h), io.LimitReader(r.Body, size))
	if err == nil && n == size && bodyHasMore(r.Body) {
		n++
	}
	fail := func(status int, code, msg string) {
		s.sessions.endPut(pw, false, "")
		writeS3Error(w, status, code, msg)
	}
	switch {
	case errors.Is(err, errSuperseded):
		fail(http.StatusInternalServerError, "InternalError", "a newer upload of the same part replaced this one")
		return
	case errors.As(err, new(diskError)):
		// The server could not write what arrived: its disk, not the
		// client's connection.
		s.sessions.endPut(pw, false, "")
		writePartStoreError(w, "InternalError", err)
		return
	case err != nil:
		fail(http.StatusBadRequest, "IncompleteBody", "the connection ended before the whole part arrived")
		return
	case n > size:
		fail(http.StatusBadRequest, "IncompleteBody", fmt.Sprintf("the part has more than the %d bytes announced", size))
		return
	case n != size:
		fail(http.StatusBadRequest, "IncompleteBody", fmt.Sprintf("the part has %d bytes but %d were announced", n, size))
		return
	}
	sum := h.Sum(nil)
	if want := r.Header.Get("Content-MD5"); want != "" && want != base64.StdEncoding.EncodeToString(sum) {
		fail(http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.")
		return
	}
	etag := `"` + hex.EncodeToString(sum) + `"`
	if err := s.sessions.endPut(pw, true, etag); err != nil {
		code, status, msg := "NoSuchUpload", http.StatusNotFound, err.Error()
		if errors.Is(err, errSuperseded) {
			code, status = "InternalError", http.StatusInternalServerError
		} else if ae := asAPIError(err); ae.cause != nil {
			// The part could not be recorded (the disk, not the client).
			writePartStoreError(w, "InternalError", err)
			return
		}
		writeS3Error(w, status, code, msg)
		return
	}
	now := s.opts.Now()
	os.Chtimes(filepath.Join(s.sessions.dir(id), "session.json"), now, now)
	w.Header().Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
}

// bodyHasMore reports whether a body has a byte left, reading (and
// dropping) at most one.
func bodyHasMore(body io.Reader) bool {
	var one [1]byte
	n, _ := io.ReadFull(body, one[:])
	return n == 1
}

// writePartStoreError answers a part the server could not store: 507
// with Retry-After when its disk is full, else the error's own status
// (500 for a failing disk).
func writePartStoreError(w http.ResponseWriter, code string, err error) {
	ae := asAPIError(err)
	noteCause(w, ae)
	if ae.status == http.StatusInsufficientStorage {
		code = "InsufficientStorage"
	}
	setRetryAfter(w, ae)
	writeS3Error(w, ae.status, code, "the part could not be stored: "+ae.msg)
}

// checkPartURL verifies the signature that mpUpload put into the
// Authorization header, so only URLs the emulator issued are accepted.
func (s *Server) checkPartURL(r *http.Request) (id string, part int, offset, size int64, err error) {
	rest := strings.TrimPrefix(r.URL.Path, "/s3/")
	id, partStr, _ := strings.Cut(rest, "/")
	q := r.URL.Query()
	part, err1 := strconv.Atoi(partStr)
	offset, err2 := strconv.ParseInt(q.Get("offset"), 10, 64)
	size, err3 := strconv.ParseInt(q.Get("size"), 10, 64)
	if !validUploadID(id) || err1 != nil || err2 != nil || err3 != nil || size <= 0 || offset < 0 || part < 1 || part > maxParts {
		return "", 0, 0, 0, fmt.Errorf("malformed part URL")
	}
	date := r.Header.Get("x-amz-date")
	t, derr := time.Parse("20060102T150405Z", date)
	if derr != nil || s.opts.Now().Sub(t) > s.opts.SessionTTL {
		return "", 0, 0, 0, fmt.Errorf("the part URL is missing x-amz-date or has expired")
	}
	want := s.sessions.partSignature(id, part, offset, size, r.Header.Get("Content-MD5"), date)
	auth := r.Header.Get("Authorization")
	i := strings.LastIndex(auth, "Signature=")
	if i < 0 || !hmac.Equal([]byte(auth[i+len("Signature="):]), []byte(want)) {
		return "", 0, 0, 0, fmt.Errorf("the request signature does not match: send the headers returned by multipart/upload unchanged")
	}
	return id, part, offset, size, nil
}

func (s *Server) mpCommit(q *upReq) error {
	sess, err := s.sessions.load(q)
	if err != nil {
		return err
	}
	if !sess.II {
		return errorf(http.StatusBadRequest, "commit is only used by intelligent ingestion uploads")
	}
	if q.Part < 1 || q.Part > maxParts {
		return errorf(http.StatusBadRequest, "part number %d out of range 1..%d", q.Part, maxParts)
	}
	if q.HasSize && q.Size != sess.Size {
		return errorf(http.StatusBadRequest, "commit size %d differs from the file size %d given at start", q.Size, sess.Size)
	}
	if err := s.authorizeUpload(q, -1, sess.Store); err != nil {
		return err
	}
	cs, err := s.sessions.chunksOf(sess.UploadID, q.Part)
	if err != nil {
		return err
	}
	if len(cs[q.Part]) == 0 {
		return errorf(http.StatusBadRequest, "part %d has no uploaded chunk to commit", q.Part)
	}
	return s.sessions.commitPart(sess.UploadID, q.Part)
}
