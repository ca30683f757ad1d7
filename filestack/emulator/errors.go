package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// apiError is a failure with the status to answer; handlers return it and
// the writer for the API family formats it the way Filestack does.
type apiError struct {
	status     int
	msg        string
	retryAfter int // seconds, for a 503 from a full processing queue
	// cause is the full error behind an internal error, for the server's
	// log: the message the client gets leaves out file system paths.
	cause error
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, a ...any) *apiError {
	return &apiError{status: status, msg: fmt.Sprintf(format, a...)}
}

func asAPIError(err error) *apiError {
	if ae, ok := err.(*apiError); ok {
		return ae
	}
	switch e := err.(type) {
	case errTooLarge:
		return &apiError{status: http.StatusRequestEntityTooLarge, msg: e.Error()}
	}
	if isBodyTimeout(err) {
		return &apiError{status: http.StatusRequestTimeout, msg: err.Error()}
	}
	if err == errNotFound {
		return &apiError{status: http.StatusNotFound, msg: "File not found"}
	}
	if isNoSpace(err) {
		return diskFullError(err)
	}
	return &apiError{status: http.StatusInternalServerError, msg: "internal error: " + publicText(err), cause: err}
}

// publicText describes an unexpected error without the server's file
// system paths, which are none of a client's business (and tell an
// attacker where the data lives): a path error is reduced to its
// operation and reason, "rename: no such file or directory". The whole
// error goes to the server's log (noteCause).
func publicText(err error) string {
	var le *os.LinkError
	var pe *fs.PathError
	switch {
	case errors.As(err, &le):
		return le.Op + ": " + le.Err.Error()
	case errors.As(err, &pe):
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// noteCause hands the full error behind an internal error to the request
// log line, through whatever wraps the recorder.
func noteCause(w http.ResponseWriter, ae *apiError) {
	if ae.cause == nil {
		return
	}
	for {
		switch v := w.(type) {
		case *recorder:
			v.cause = ae.cause
			return
		case interface{ Unwrap() http.ResponseWriter }:
			w = v.Unwrap()
		default:
			return
		}
	}
}

// writeFileAPIError answers in the File API ("v1") shape:
// {"result":"error","error":{"code":403,"msg":"Policy required"}}.
func writeFileAPIError(w http.ResponseWriter, err error) {
	ae := asAPIError(err)
	noteCause(w, ae)
	setRetryAfter(w, ae)
	writeJSON(w, ae.status, map[string]any{
		"result": "error",
		"error":  map[string]any{"code": ae.status, "msg": ae.msg},
	})
}

// writeUploadAPIError answers in the Upload API shape:
// {"error":"...","c":"<request id>","i":"<node>","t":<unix>}.
func (s *Server) writeUploadAPIError(w http.ResponseWriter, err error) {
	ae := asAPIError(err)
	noteCause(w, ae)
	setRetryAfter(w, ae)
	writeJSON(w, ae.status, map[string]any{
		"error": ae.msg, "c": w.Header().Get("X-Request-Id"), "i": "UPL-emulator-1", "t": s.opts.Now().Unix(),
	})
}

// writeTextError answers like the processing engine: plain text.
func writeTextError(w http.ResponseWriter, err error) {
	ae := asAPIError(err)
	noteCause(w, ae)
	setRetryAfter(w, ae)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(ae.status)
	fmt.Fprintln(w, ae.msg)
}

// setRetryAfter says when to come back (a full queue, a full disk).
func setRetryAfter(w http.ResponseWriter, ae *apiError) {
	if ae.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(ae.retryAfter))
	}
}

// writeS3Error answers like S3 does on a part PUT.
func writeS3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>",
		code, xmlEscape(msg), w.Header().Get("X-Request-Id"))
}

func xmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	return r.Replace(s)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func stripParams(t string) string {
	if i := strings.IndexByte(t, ';'); i >= 0 {
		return strings.TrimSpace(t[:i])
	}
	return t
}

func mimeFromExt(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case "":
		return ""
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".txt":
		return "text/plain"
	}
	return stripParams(mime.TypeByExtension(ext))
}
