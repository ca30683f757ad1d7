package ddownload

import (
	"crypto/rand"
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

// EmulatorOptions configures the offline DDownload.
type EmulatorOptions struct {
	Prefix string   // mount path, e.g. "/ddownload"
	Keys   []string // accepted API keys
	// RequestsPerSecond caps API calls per key (0 means 4, the top of the
	// documented 3–4; < 0 no cap). Past it the emulator answers 429.
	RequestsPerSecond int
	MaxStored         int64 // bytes kept in memory (default 256 MiB)
	// Budget is memory shared with the other mounted emulators (nil:
	// MaxStored only); past it the oldest stored files are evicted.
	Budget *hosts.Budget
	Now    func() time.Time
}

// Emulator is an in-memory DDownload: GET {prefix}/api/upload/server,
// POST {prefix}/upload/01 (the upload URL it hands out), GET
// {prefix}/api/file/list, GET {prefix}/api/file/info, and GET
// {prefix}/f/{code} for the bytes.
type Emulator struct {
	opts     EmulatorOptions
	mu       sync.Mutex
	sessions map[string]string // one-time sess_id → key
	files    map[string]*stored
	used     int64
	seq      int64
	rate     *hosts.Window
}

type stored struct {
	key, code, name string
	data            []byte
	uploaded        time.Time
	seq             int64
	hold            *hosts.Hold
}

// NewEmulator returns an emulator for opts.
func NewEmulator(opts EmulatorOptions) *Emulator {
	if opts.RequestsPerSecond == 0 {
		opts.RequestsPerSecond = 4
	}
	if opts.MaxStored <= 0 {
		opts.MaxStored = 256 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Prefix = strings.TrimRight(opts.Prefix, "/")
	return &Emulator{opts: opts, sessions: map[string]string{}, files: map[string]*stored{}, rate: hosts.NewWindow(opts.RequestsPerSecond, time.Second)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// envelope writes the fixed-API reply shape; errors keep HTTP 200 and put
// the code in "status", as XFileSharing-style APIs do.
func (e *Emulator) envelope(w http.ResponseWriter, status int, msg string, extra map[string]any) {
	v := map[string]any{"msg": msg, "status": status, "server_time": e.opts.Now().UTC().Format(time.DateTime)}
	for k, x := range extra {
		v[k] = x
	}
	code := http.StatusOK
	if status == http.StatusTooManyRequests {
		code = status
	}
	writeJSON(w, code, v)
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, e.opts.Prefix)
	switch {
	case !ok:
		http.NotFound(w, r)
	case strings.HasPrefix(p, "/api/") && r.Method == http.MethodGet:
		e.api(w, r, strings.TrimPrefix(p, "/api"))
	case p == "/upload/01" && r.Method == http.MethodPost:
		e.upload(w, r)
	case strings.HasPrefix(p, "/f/") && r.Method == http.MethodGet:
		e.download(w, r, strings.TrimPrefix(p, "/f/"))
	default:
		http.NotFound(w, r)
	}
}

func (e *Emulator) api(w http.ResponseWriter, r *http.Request, path string) {
	key := r.URL.Query().Get("key")
	if !e.validKey(key) {
		e.envelope(w, http.StatusForbidden, "Invalid key", nil)
		return
	}
	if !e.allow(key) {
		e.envelope(w, http.StatusTooManyRequests, "Too many requests", nil)
		return
	}
	switch path {
	case "/upload/server":
		sess := randCode(16)
		e.mu.Lock()
		e.sessions[sess] = key
		e.mu.Unlock()
		e.envelope(w, http.StatusOK, "OK", map[string]any{"sess_id": sess, "result": e.base(r) + "/upload/01"})
	case "/file/list":
		e.list(w, r, key)
	case "/file/info":
		e.info(w, r, key)
	default:
		e.envelope(w, http.StatusNotFound, "Unknown API call", nil)
	}
}

func (e *Emulator) validKey(k string) bool {
	for _, v := range e.opts.Keys {
		if k != "" && k == v {
			return true
		}
	}
	return false
}

// allow applies the per-key request rate over a rolling second.
func (e *Emulator) allow(key string) bool {
	return e.rate.Allow(key, e.opts.Now())
}

func (e *Emulator) base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + e.opts.Prefix
}

func randCode(n int) string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func uploadFail(w http.ResponseWriter, status string) {
	writeJSON(w, http.StatusOK, []map[string]string{{"file_code": "", "file_status": status}})
}

// upload takes the multipart form; its sess_id must come from
// upload/server and is spent by this request, whatever the outcome.
func (e *Emulator) upload(w http.ResponseWriter, r *http.Request) {
	limit := e.opts.Budget.Cap(e.opts.MaxStored)
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			uploadFail(w, "file too big")
			return
		}
		uploadFail(w, "no file")
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	sess := r.FormValue("sess_id")
	e.mu.Lock()
	key, ok := e.sessions[sess]
	delete(e.sessions, sess)
	e.mu.Unlock()
	if !ok {
		uploadFail(w, "invalid sess_id")
		return
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		uploadFail(w, "no file")
		return
	}
	defer f.Close()
	if fh.Size > limit {
		uploadFail(w, "file too big")
		return
	}
	s := &stored{key: key, code: randCode(12), name: safeName(fh.Filename), uploaded: e.opts.Now().UTC()}
	// The bytes are held before they are read into memory.
	s.hold, ok = e.opts.Budget.Take(fh.Size, func() { e.drop(s.code) })
	if !ok {
		uploadFail(w, "file too big")
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, fh.Size))
	if err != nil {
		s.hold.Release()
		uploadFail(w, "no file")
		return
	}
	s.data = data
	e.mu.Lock()
	if s.hold.Evicted() || e.used+int64(len(data)) > e.opts.MaxStored {
		e.mu.Unlock()
		s.hold.Release()
		uploadFail(w, "storage full")
		return
	}
	e.seq++
	s.seq = e.seq
	e.files[s.code] = s
	e.used += int64(len(data))
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, []map[string]string{{"file_code": s.code, "file_status": "OK"}})
}

// drop forgets a file the shared budget evicted.
func (e *Emulator) drop(code string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.files[code]; ok {
		e.used -= int64(len(s.data))
		delete(e.files, code)
	}
}

func safeName(n string) string {
	n = n[strings.LastIndexAny(n, "/\\")+1:]
	n = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, n)
	if n == "" || len(n) > 255 {
		return "file"
	}
	return n
}

func (e *Emulator) list(w http.ResponseWriter, r *http.Request, key string) {
	q := r.URL.Query()
	page, err1 := atoiDefault(q.Get("page"), 1)
	per, err2 := atoiDefault(q.Get("per_page"), 20)
	if err1 != nil || err2 != nil || page < 1 || per < 1 || per > MaxPerPage {
		e.envelope(w, http.StatusBadRequest, "Invalid page or per_page", nil)
		return
	}
	e.mu.Lock()
	var mine []*stored
	for _, s := range e.files {
		if s.key == key {
			mine = append(mine, s)
		}
	}
	e.mu.Unlock()
	sort.Slice(mine, func(i, j int) bool { return mine[i].seq > mine[j].seq })
	files := []map[string]any{}
	for i := (page - 1) * per; i < len(mine) && i < page*per; i++ {
		s := mine[i]
		files = append(files, map[string]any{"name": s.name, "file_code": s.code, "link": e.base(r) + "/f/" + s.code,
			"uploaded": s.uploaded.Format(time.DateTime), "size": len(s.data), "fld_id": 0, "downloads": 0, "public": 1})
	}
	e.envelope(w, http.StatusOK, "OK", map[string]any{"result": map[string]any{
		"files": files, "results": len(files), "results_total": len(mine), "pages": (len(mine) + per - 1) / per}})
}

func atoiDefault(s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	return strconv.Atoi(s)
}

func (e *Emulator) download(w http.ResponseWriter, r *http.Request, code string) {
	e.mu.Lock()
	s, ok := e.files[code]
	e.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(s.data)
}
