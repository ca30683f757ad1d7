package imgbb

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/hosts"
)

// EmulatorOptions configures the offline ImgBB.
type EmulatorOptions struct {
	Prefix string   // mount path, e.g. "/imgbb"; "" for the root
	Keys   []string // accepted API keys
	// UploadsPerMinute, when > 0, answers "Rate limit reached." past that
	// many uploads per key in a rolling minute, so clients' handling of it
	// can be exercised.
	UploadsPerMinute int
	// MaxStored bounds the bytes kept in memory (default 256 MiB); past it
	// uploads are refused rather than exhausting the host.
	MaxStored int64
	// Budget is memory shared with the other mounted emulators (nil:
	// MaxStored only); past it the oldest stored files are evicted.
	Budget *hosts.Budget
	Now    func() time.Time
}

// Emulator is an in-memory ImgBB: POST/GET {prefix}/1/upload, and the
// image URLs its replies hand out ({prefix}/i/{id}/{file}).
type Emulator struct {
	opts EmulatorOptions
	mu   sync.Mutex
	imgs map[string]*storedImage
	used int64
	rate *hosts.Window
}

type storedImage struct {
	id, file, mime string
	data           []byte
	expires        time.Time
	hold           *hosts.Hold
}

// NewEmulator returns an emulator for opts.
func NewEmulator(opts EmulatorOptions) *Emulator {
	if opts.MaxStored <= 0 {
		opts.MaxStored = 256 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Prefix = strings.TrimRight(opts.Prefix, "/")
	return &Emulator{opts: opts, imgs: map[string]*storedImage{}, rate: hosts.NewWindow(opts.UploadsPerMinute, time.Minute)}
}

// Error replies follow the shape ImgBB sends (seen in public bug reports):
// {"status_code":400,"error":{"message":…,"code":…,"context":"Exception"},"status_txt":"Bad Request"}.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"status_code": status,
		"error":       map[string]any{"message": msg, "code": code, "context": "Exception"},
		"status_txt":  http.StatusText(status),
	})
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, e.opts.Prefix)
	switch {
	case !ok:
		http.NotFound(w, r)
	case p == "/1/upload" && (r.Method == http.MethodPost || r.Method == http.MethodGet):
		e.upload(w, r)
	case strings.HasPrefix(p, "/i/") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		e.serveImage(w, r, strings.TrimPrefix(p, "/i/"))
	default:
		http.NotFound(w, r)
	}
}

// maxBody allows a 32 MB image sent as base64 (4/3 larger) plus form
// overhead; the decoded size is checked against MaxSize afterwards.
const maxBody = MaxSize/3*4 + 1<<20

func (e *Emulator) upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := parseForm(r); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusBadRequest, 310, "File too big - max 32 MB")
			return
		}
		writeError(w, http.StatusBadRequest, 130, "Empty upload source.")
		return
	}
	if r.MultipartForm != nil {
		defer func() { _ = r.MultipartForm.RemoveAll() }()
	}
	key := r.FormValue("key")
	if !e.validKey(key) {
		writeError(w, http.StatusBadRequest, 100, "Invalid API v1 key.")
		return
	}
	if !e.allow(key) {
		writeError(w, http.StatusBadRequest, 100, "Rate limit reached.")
		return
	}
	exp, ok := parseExpiration(r.FormValue("expiration"))
	if !ok {
		writeError(w, http.StatusBadRequest, 100, "Invalid expiration value (60-15552000 seconds).")
		return
	}
	data, name, status, msg := readSource(r)
	if msg != "" {
		writeError(w, status, 130, msg)
		return
	}
	if n := r.FormValue("name"); n != "" {
		name = n
	}
	e.store(w, r, data, name, exp)
}

// parseForm reads a multipart or urlencoded body. net/http caps urlencoded
// bodies at 10 MB, below a 32 MB image in base64, so that case is parsed
// here under the emulator's own limit.
func parseForm(r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		if r.PostForm, err = url.ParseQuery(string(b)); err != nil {
			return err
		}
	}
	err := r.ParseMultipartForm(8 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		return nil
	}
	return err
}

func (e *Emulator) validKey(k string) bool {
	for _, v := range e.opts.Keys {
		if k != "" && k == v {
			return true
		}
	}
	return false
}

func (e *Emulator) allow(key string) bool {
	return e.rate.Allow(key, e.opts.Now())
}

func parseExpiration(s string) (time.Duration, bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < int64(MinExpiry/time.Second) || n > int64(MaxExpiry/time.Second) {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// readSource takes the image from a file part, or from the "image" field as
// base64 (ImgBB also fetches URLs; the emulator works offline and refuses
// them with a clear message instead).
func readSource(r *http.Request) (data []byte, name string, status int, msg string) {
	if f, fh, err := r.FormFile("image"); err == nil {
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, MaxSize+1))
		if err != nil {
			return nil, "", http.StatusBadRequest, "Empty upload source."
		}
		name = fh.Filename
	} else if v := r.FormValue("image"); v != "" {
		if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
			return nil, "", http.StatusBadRequest, "URL sources are not fetched by the fsdeck emulator."
		}
		if _, after, ok := strings.Cut(v, ";base64,"); ok && strings.HasPrefix(v, "data:") {
			v = after
		}
		data, err = base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, "", http.StatusBadRequest, "Invalid base64 string."
		}
	}
	switch {
	case len(data) == 0:
		return nil, "", http.StatusBadRequest, "Empty upload source."
	case len(data) > MaxSize:
		return nil, "", http.StatusBadRequest, "File too big - max 32 MB"
	case !hosts.IsImage(data[:min(len(data), hosts.SniffLen)]):
		return nil, "", http.StatusBadRequest, "Invalid image source."
	}
	return data, name, 0, ""
}

func newID() string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 7)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// safeName keeps a URL- and terminal-safe base name.
func safeName(name, ext string) string {
	name = strings.TrimSuffix(path.Base(strings.ReplaceAll(name, "\\", "/")), path.Ext(name))
	var b strings.Builder
	for _, r := range name {
		if r < 128 && (r == '-' || r == '_' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || b.Len() > 100 {
		return newID() + ext
	}
	return b.String() + ext
}
