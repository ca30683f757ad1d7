package gyazo

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/hosts"
)

// EmulatorOptions configures the offline Gyazo.
type EmulatorOptions struct {
	Prefix string   // mount path, e.g. "/gyazo"
	Tokens []string // accepted access tokens; each sees only its images
	// MaxUpload bounds one request body (default 64 MiB). Gyazo publishes
	// no figure; this protects the emulator's host, nothing more.
	MaxUpload int64
	MaxStored int64 // bytes kept in memory (default 256 MiB)
	// Budget is memory shared with the other mounted emulators (nil:
	// MaxStored only); past it the oldest stored files are evicted.
	Budget *hosts.Budget
	Now    func() time.Time
}

// Emulator is an in-memory Gyazo: POST {prefix}/api/upload, GET
// {prefix}/api/images (paged, X-Total-Count), GET and DELETE
// {prefix}/api/images/{id}, and the image files at {prefix}/i/{id}.{ext}.
type Emulator struct {
	opts EmulatorOptions
	mu   sync.Mutex
	imgs map[string]*stored
	used int64
	seq  int64 // upload order, for newest-first lists with equal times
}

type stored struct {
	token, id, ext, mime, title, desc, referer string
	data                                       []byte
	created                                    time.Time
	seq                                        int64
	hold                                       *hosts.Hold
}

// NewEmulator returns an emulator for opts.
func NewEmulator(opts EmulatorOptions) *Emulator {
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = 64 << 20
	}
	if opts.MaxStored <= 0 {
		opts.MaxStored = 256 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Prefix = strings.TrimRight(opts.Prefix, "/")
	return &Emulator{opts: opts, imgs: map[string]*stored{}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, e.opts.Prefix)
	id, isItem := strings.CutPrefix(p, "/api/images/")
	switch {
	case !ok:
		http.NotFound(w, r)
	case p == "/api/upload" && r.Method == http.MethodPost:
		e.upload(w, r)
	case p == "/api/images" && r.Method == http.MethodGet:
		e.list(w, r)
	case isItem && (r.Method == http.MethodGet || r.Method == http.MethodDelete):
		e.item(w, r, id)
	case strings.HasPrefix(p, "/i/") && r.Method == http.MethodGet:
		e.file(w, r, strings.TrimPrefix(p, "/i/"))
	default:
		http.NotFound(w, r)
	}
}

// token takes the Bearer header or the access_token parameter, both of
// which Gyazo accepts.
func (e *Emulator) token(r *http.Request) (string, bool) {
	t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		t = r.FormValue("access_token")
	}
	for _, v := range e.opts.Tokens {
		if t != "" && t == v {
			return t, true
		}
	}
	return "", false
}

func (e *Emulator) upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, e.opts.MaxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			fail(w, http.StatusRequestEntityTooLarge, "imagedata is too large")
			return
		}
		fail(w, http.StatusBadRequest, "imagedata is required")
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	tok, ok := e.token(r)
	if !ok {
		fail(w, http.StatusUnauthorized, "You are not authorized.")
		return
	}
	f, _, err := r.FormFile("imagedata")
	if err != nil {
		fail(w, http.StatusBadRequest, "imagedata is required")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil || len(data) == 0 {
		fail(w, http.StatusBadRequest, "imagedata is required")
		return
	}
	if !hosts.IsImage(data[:min(len(data), hosts.SniffLen)]) {
		fail(w, http.StatusBadRequest, "imagedata is not an image")
		return
	}
	s := &stored{token: tok, data: data, title: r.FormValue("title"), desc: r.FormValue("desc"),
		referer: r.FormValue("referer_url"), created: e.created(r.FormValue("created_at"))}
	s.mime = http.DetectContentType(data)
	s.ext = strings.TrimPrefix(s.mime, "image/")
	if s.ext == "jpeg" {
		s.ext = "jpg"
	}
	if !e.put(s) {
		fail(w, http.StatusRequestEntityTooLarge, "storage full (fsdeck emulator limit)")
		return
	}
	im := e.view(r, s)
	im.Metadata = nil // the upload reply carries no metadata block
	writeJSON(w, http.StatusOK, im)
}

// created honours the optional created_at (Unix seconds) field.
func (e *Emulator) created(v string) time.Time {
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f < 1e11 {
		return time.Unix(int64(f), 0).UTC()
	}
	return e.opts.Now().UTC()
}

func (e *Emulator) put(s *stored) bool {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	s.id = hex.EncodeToString(b) // Gyazo ids are 32 hex digits
	hold, ok := e.opts.Budget.Take(int64(len(s.data)), func() { e.drop(s.id) })
	if !ok {
		return false
	}
	s.hold = hold
	e.mu.Lock()
	defer e.mu.Unlock()
	if hold.Evicted() || e.used+int64(len(s.data)) > e.opts.MaxStored {
		hold.Release()
		return false
	}
	e.seq++
	s.seq = e.seq
	e.imgs[s.id] = s
	e.used += int64(len(s.data))
	return true
}

// drop forgets an image the shared budget evicted.
func (e *Emulator) drop(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.imgs[id]; ok {
		e.used -= int64(len(s.data))
		delete(e.imgs, id)
	}
}

func (e *Emulator) view(r *http.Request, s *stored) gyImage {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host + e.opts.Prefix
	str := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	app := "fsdeck"
	return gyImage{
		ImageID: s.id, PermalinkURL: base + "/i/" + s.id, ThumbURL: base + "/i/" + s.id + "." + s.ext,
		URL: base + "/i/" + s.id + "." + s.ext, Type: s.ext, CreatedAt: s.created.Format(time.RFC3339Nano),
		Metadata: &metadata{App: &app, Title: str(s.title), URL: str(s.referer), Desc: str(s.desc)},
	}
}

func (e *Emulator) list(w http.ResponseWriter, r *http.Request) {
	tok, ok := e.token(r)
	if !ok {
		fail(w, http.StatusUnauthorized, "You are not authorized.")
		return
	}
	page, err1 := atoiDefault(r.FormValue("page"), 1)
	per, err2 := atoiDefault(r.FormValue("per_page"), 20)
	if err1 != nil || err2 != nil || page < 1 || per < 1 || per > MaxPerPage {
		fail(w, http.StatusBadRequest, "page and per_page (1-100) must be positive integers")
		return
	}
	e.mu.Lock()
	mine := make([]*stored, 0, len(e.imgs))
	for _, s := range e.imgs {
		if s.token == tok {
			mine = append(mine, s)
		}
	}
	e.mu.Unlock()
	sort.Slice(mine, func(i, j int) bool { return mine[i].seq > mine[j].seq })
	out := []gyImage{}
	for i := (page - 1) * per; i < len(mine) && i < page*per; i++ {
		out = append(out, e.view(r, mine[i]))
	}
	h := w.Header()
	h.Set("X-Total-Count", strconv.Itoa(len(mine)))
	h.Set("X-Current-Page", strconv.Itoa(page))
	h.Set("X-Per-Page", strconv.Itoa(per))
	h.Set("X-User-Type", "lite")
	writeJSON(w, http.StatusOK, out)
}

func atoiDefault(s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	return strconv.Atoi(s)
}

func (e *Emulator) item(w http.ResponseWriter, r *http.Request, id string) {
	tok, ok := e.token(r)
	if !ok {
		fail(w, http.StatusUnauthorized, "You are not authorized.")
		return
	}
	e.mu.Lock()
	s, found := e.imgs[id]
	if found && s.token != tok {
		found = false
	}
	if found && r.Method == http.MethodDelete {
		delete(e.imgs, id)
		e.used -= int64(len(s.data))
		s.hold.Release()
	}
	e.mu.Unlock()
	switch {
	case !found:
		fail(w, http.StatusNotFound, "Not Found")
	case r.Method == http.MethodDelete:
		writeJSON(w, http.StatusOK, map[string]string{"image_id": s.id, "type": s.ext})
	default:
		writeJSON(w, http.StatusOK, e.view(r, s))
	}
}

func (e *Emulator) file(w http.ResponseWriter, r *http.Request, name string) {
	id, ext, _ := strings.Cut(name, ".")
	e.mu.Lock()
	s, ok := e.imgs[id]
	e.mu.Unlock()
	if !ok || (ext != "" && ext != s.ext) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", s.mime)
	_, _ = w.Write(s.data)
}
