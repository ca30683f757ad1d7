package hosts

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
)

// FormField is one text field of a multipart upload, sent before the file.
type FormField struct{ Name, Value string }

// UploadForm is a multipart/form-data request body: text fields, then one
// file part. Its framing is built up front and the file streamed between,
// so a size known in advance gives the exact Length: the request then
// carries a Content-Length instead of a chunked body, which not every
// service accepts. A file that then sends more or fewer bytes than its
// size fails the request (net/http checks) instead of sending another
// body than the one announced.
type UploadForm struct {
	Body        io.Reader
	ContentType string
	// Length is the body's length in bytes, or -1 when the file's size
	// is unknown (the body is then sent chunked).
	Length int64
}

// NewUploadForm frames body (size bytes, or -1 when unknown) as the file
// part fileField named fileName (FormFile's header-safe name), after
// fields.
func NewUploadForm(fields []FormField, fileField, fileName string, body io.Reader, size int64) (UploadForm, error) {
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	for _, f := range fields {
		if err := mw.WriteField(f.Name, f.Value); err != nil {
			return UploadForm{}, err
		}
	}
	if _, err := FormFile(mw, fileField, fileName); err != nil {
		return UploadForm{}, err
	}
	prefix := bytes.Clone(head.Bytes())
	head.Reset()
	if err := mw.Close(); err != nil {
		return UploadForm{}, err
	}
	// Close writes "\r\n--boundary--\r\n", the file part's end included.
	suffix := head.Bytes()
	length := int64(-1)
	if size >= 0 {
		length = int64(len(prefix)) + size + int64(len(suffix))
	}
	return UploadForm{Body: io.MultiReader(bytes.NewReader(prefix), body, bytes.NewReader(suffix)),
		ContentType: mw.FormDataContentType(), Length: length}, nil
}

// Read reads the body, so a form is passed where a request body goes.
func (f UploadForm) Read(p []byte) (int, error) { return f.Body.Read(p) }

// SetContentLength gives req its body's length when body is an
// UploadForm (net/http finds it by itself for bytes and strings readers).
func SetContentLength(req *http.Request, body io.Reader) {
	if f, ok := body.(UploadForm); ok {
		req.ContentLength = f.Length
	}
}
