package ddownload

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// EmulatorOptions configures the offline DDownload.
type EmulatorOptions struct {
	Prefix string   // mount path, e.g. "/ddownload"
	Keys   []string // accepted API keys
	// RequestsPerSecond caps API calls per key (0 means 4, the top of the
	// documented 3–4; < 0 no cap). Past it the emulator answers 429. The
	// window is kept in memory only, so it starts afresh on a restart.
	RequestsPerSecond int
	// Dir keeps the files and their state (see hosts.Store); Quota is the
	// disk quota shared with the other mounted emulators (nil: one of its
	// own); Memory bounds form fields read in memory; Log gets what goes
	// wrong with the stored state.
	Dir    string
	Quota  *hosts.Quota
	Memory *hosts.Memory
	Log    *slog.Logger
	Fsync  bool // fsync stored bytes (see hosts.EmulatorSetup)
	Now    func() time.Time
	// KeyRequired makes a file's download want ?key= too, as the API
	// does (fsdeck serve --security-required).
	KeyRequired bool
}

// Emulator is a DDownload kept on disk: GET {prefix}/api/upload/server,
// POST {prefix}/upload/01 (the upload URL it hands out), GET
// {prefix}/api/file/list, GET {prefix}/api/file/info, and GET
// {prefix}/f/{code} for the bytes. Files, names and the list order survive
// a restart; the one-time sess_id values do not (an upload that straddles
// a restart answers "invalid sess_id", and the client asks for a new one).
type Emulator struct {
	opts     EmulatorOptions
	store    *hosts.Store
	mu       sync.Mutex
	sessions map[string]string // one-time sess_id → key
	files    map[string]*stored
	seq      int64
	rate     *hosts.Window
}

// stored is one file's entry in the state file; Owner is its key's
// hosts.Owner, and its bytes are the store's file named Code.
type stored struct {
	Owner    string    `json:"owner"`
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	Uploaded time.Time `json:"uploaded"`
	Seq      int64     `json:"seq"`
	Size     int64     `json:"size"`
}

type state struct {
	Seq   int64              `json:"seq"`
	Files map[string]*stored `json:"files"`
}

// NewEmulator returns an emulator for opts, with what opts.Dir holds.
func NewEmulator(opts EmulatorOptions) *Emulator {
	if opts.RequestsPerSecond == 0 {
		opts.RequestsPerSecond = 4
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Prefix = strings.TrimRight(opts.Prefix, "/")
	e := &Emulator{opts: opts, sessions: map[string]string{}, files: map[string]*stored{}, rate: hosts.NewWindow(opts.RequestsPerSecond, time.Second),
		store: hosts.OpenStore(hosts.EmulatorSetup{Prefix: opts.Prefix, Dir: opts.Dir, Quota: opts.Quota, Log: opts.Log, Fsync: opts.Fsync})}
	var st state
	_ = e.store.Load(&st) // logged by the store; a bad state starts empty
	kept, changed := hosts.RestoreFiles(e.store, st.Files,
		func(code string, s *stored) bool { return s.Code == code && validCode(code) },
		func(s *stored, size int64) { s.Size = size },
		func(code string, size int64) *stored {
			// Without its state a file is still served at its link; its
			// name and owner are lost, so no key lists it.
			if !validCode(code) {
				return nil
			}
			return &stored{Code: code, Name: code, Uploaded: opts.Now().UTC(), Size: size}
		})
	e.files, e.seq = kept, st.Seq
	if changed {
		_ = e.store.Save(state{Seq: e.seq, Files: e.files})
	}
	return e
}

// validCode accepts the codes randCode makes, so a tampered state file
// cannot name a path outside the store.
func validCode(c string) bool {
	if len(c) != 12 {
		return false
	}
	for _, r := range c {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z') {
			return false
		}
	}
	return true
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
	case strings.HasPrefix(p, "/f/") && r.Method == http.MethodGet && e.opts.KeyRequired && !e.validKey(r.URL.Query().Get("key")):
		// The API's envelope, with the status as the HTTP status too: a
		// download must not take it for the file.
		writeJSON(w, http.StatusForbidden, map[string]any{"msg": "Invalid key", "status": http.StatusForbidden,
			"server_time": e.opts.Now().UTC().Format(time.DateTime)})
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
		e.envelope(w, http.StatusOK, "OK", map[string]any{"sess_id": sess, "result": e.link(r, "/upload/01")})
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

// link is the absolute URL of the emulator's path p for a reply to r:
// under the mount, or on DDownload's own hosts when the request came in
// on one of them (hosts.LinkFor).
func (e *Emulator) link(r *http.Request, p string) string {
	return hosts.LinkFor(r, e.opts.Prefix, p)
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

// upload takes the multipart form, streaming the file to disk; its
// sess_id must come from upload/server and is spent by this request,
// whatever the outcome.
func (e *Emulator) upload(w http.ResponseWriter, r *http.Request) {
	sess, name, p, err := e.readForm(r)
	defer p.Discard() // a no-op once kept
	e.mu.Lock()
	key, ok := e.sessions[sess]
	delete(e.sessions, sess)
	e.mu.Unlock()
	switch {
	case !ok:
		uploadFail(w, "invalid sess_id")
	case errors.Is(err, hosts.ErrStoreQuota):
		uploadFail(w, "storage full")
	case err != nil, p == nil:
		uploadFail(w, "no file")
	default:
		e.keep(w, key, name, p)
	}
}

// readForm reads sess_id (small, in memory) and streams the file part
// into the store.
func (e *Emulator) readForm(r *http.Request) (sess, name string, p *hosts.Pending, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", "", nil, err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return sess, name, p, nil
		}
		if err != nil {
			return sess, name, p, err
		}
		switch {
		case part.FormName() == "file" && p == nil:
			name = part.FileName()
			if p, err = e.store.Receive(part, 0); err != nil {
				return sess, name, nil, err
			}
		case part.FormName() == "sess_id":
			b, err := io.ReadAll(io.LimitReader(part, 256))
			if err != nil {
				return sess, name, p, err
			}
			sess = string(b)
		}
	}
}

// keep moves an accepted file into the store and records it.
func (e *Emulator) keep(w http.ResponseWriter, key, name string, p *hosts.Pending) {
	s := &stored{Owner: hosts.Owner(key), Code: randCode(12), Name: safeName(name), Uploaded: e.opts.Now().UTC(), Size: p.Size}
	if err := p.Keep(s.Code); err != nil {
		uploadFail(w, "server error")
		return
	}
	e.mu.Lock()
	e.seq++
	s.Seq = e.seq
	e.files[s.Code] = s
	if err := e.store.Save(state{Seq: e.seq, Files: e.files}); err != nil {
		delete(e.files, s.Code)
		e.store.Remove(s.Code, s.Size)
		e.mu.Unlock()
		uploadFail(w, "server error")
		return
	}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, []map[string]string{{"file_code": s.Code, "file_status": "OK"}})
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
		if s.Owner == hosts.Owner(key) {
			mine = append(mine, s)
		}
	}
	e.mu.Unlock()
	sort.Slice(mine, func(i, j int) bool { return mine[i].Seq > mine[j].Seq })
	files := []map[string]any{}
	for i := (page - 1) * per; i < len(mine) && i < page*per; i++ {
		s := mine[i]
		files = append(files, map[string]any{"name": s.Name, "file_code": s.Code, "link": e.link(r, "/f/"+s.Code),
			"uploaded": s.Uploaded.Format(time.DateTime), "size": s.Size, "fld_id": 0, "downloads": 0, "public": 1})
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
	_, ok := e.files[code]
	e.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	e.store.Serve(w, r, code, "application/octet-stream")
}
