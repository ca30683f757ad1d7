package imgbb

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// upForm is an upload request's fields: a file part is already streamed
// into the store (file, or fileErr when that failed), the rest are values.
type upForm struct {
	values  url.Values
	file    *hosts.Pending
	fileErr error
	name    string // the file part's name
}

// get is a form value, else the query's (ImgBB takes both).
func (f *upForm) get(r *http.Request, k string) string {
	if v := f.values.Get(k); v != "" {
		return v
	}
	return r.URL.Query().Get(k)
}

// readForm reads a multipart or urlencoded body. A multipart file part is
// streamed to disk; a urlencoded body (whose image is base64) is parsed
// in memory within the shared memory budget, since its fields may come in
// any order.
func (e *Emulator) readForm(r *http.Request) (*upForm, error) {
	f := &upForm{values: url.Values{}}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case r.Method != http.MethodPost:
		return f, nil
	case ct == "multipart/form-data":
		return f, e.readParts(r, f)
	case ct == "application/x-www-form-urlencoded":
		n := r.ContentLength
		if n < 0 || n > maxBody {
			n = maxBody
		}
		release, ok := e.opts.Memory.Take(r.Context(), n)
		defer release()
		if !ok {
			return f, r.Context().Err()
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return f, err
		}
		f.values, err = url.ParseQuery(string(b))
		return f, err
	}
	return f, nil
}

// readParts streams the "image" file part into the store and keeps the
// other fields (a base64 "image" field within the memory budget).
func (e *Emulator) readParts(r *http.Request, f *upForm) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if part.FormName() == "image" && part.FileName() != "" && f.file == nil && f.fileErr == nil {
			f.name = part.FileName()
			f.file, f.fileErr = e.store.Receive(part, MaxSize)
			continue
		}
		limit := int64(64 << 10)
		if part.FormName() == "image" {
			limit = maxBody
		}
		release, ok := e.opts.Memory.Take(r.Context(), limit)
		if !ok {
			return r.Context().Err()
		}
		b, err := io.ReadAll(io.LimitReader(part, limit))
		release()
		if err != nil {
			return err
		}
		f.values.Add(part.FormName(), string(b))
	}
}

// decodeSource takes the image from the "image" field as base64 (ImgBB
// also fetches URLs; the emulator works offline and refuses them with a
// clear message instead).
func (e *Emulator) decodeSource(v string) (*hosts.Pending, error) {
	if v == "" {
		return nil, nil
	}
	if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
		return nil, errURLSource
	}
	if _, after, ok := strings.Cut(v, ";base64,"); ok && strings.HasPrefix(v, "data:") {
		v = after
	}
	data, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, errBadBase64
	}
	return e.store.Receive(bytes.NewReader(data), MaxSize)
}

var (
	errURLSource = errors.New("url source")
	errBadBase64 = errors.New("bad base64")
)

// sourceError is the reply for an image that cannot be kept: ImgBB's
// status, code and message, or msg "" when p is a stored image.
func sourceError(p *hosts.Pending, err error) (status, code int, msg string) {
	switch {
	case errors.Is(err, errURLSource):
		return http.StatusBadRequest, 130, "URL sources are not fetched by the fsdeck emulator."
	case errors.Is(err, errBadBase64):
		return http.StatusBadRequest, 130, "Invalid base64 string."
	case errors.Is(err, hosts.ErrStoreTooLarge):
		return http.StatusBadRequest, 310, "File too big - max 32 MB"
	case errors.Is(err, hosts.ErrStoreQuota):
		return http.StatusBadRequest, 310, "Storage full (fsdeck emulator disk quota)."
	case err != nil:
		return http.StatusInternalServerError, 0, "Upload failed: the fsdeck emulator could not store the image."
	case p == nil || p.Size == 0:
		return http.StatusBadRequest, 130, "Empty upload source."
	case !hosts.IsImage(p.Head):
		return http.StatusBadRequest, 130, "Invalid image source."
	}
	return 0, 0, ""
}
