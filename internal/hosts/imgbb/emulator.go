package imgbb

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// EmulatorOptions configures the offline ImgBB.
type EmulatorOptions struct {
	Prefix string   // mount path, e.g. "/imgbb"; "" for the root
	Keys   []string // accepted API keys
	// UploadsPerMinute, when > 0, answers "Rate limit reached." past that
	// many uploads per key in a rolling minute, so clients' handling of it
	// can be exercised. The window is kept in memory only, so it starts
	// afresh when the server restarts.
	UploadsPerMinute int
	// Dir keeps the images and their state (see hosts.Store); Quota is
	// the disk quota shared with the other mounted emulators (nil: one of
	// its own); Memory bounds base64 bodies parsed in memory; Log gets
	// what goes wrong with the stored state.
	Dir    string
	Quota  *hosts.Quota
	Memory *hosts.Memory
	Log    *slog.Logger
	Fsync  bool // fsync stored bytes (see hosts.EmulatorSetup)
	Now    func() time.Time
	// KeyRequired makes the image URLs and the viewer and delete pages
	// want ?key= too, as the upload does (fsdeck serve
	// --security-required).
	KeyRequired bool
}

// Emulator is an ImgBB kept on disk: POST/GET {prefix}/1/upload, the
// image URLs its replies hand out ({prefix}/i/{id}/{file}) and its viewer
// and delete pages ({prefix}/v/{id}, {prefix}/v/{id}/{hash}). Images, names
// and expiry times survive a restart.
type Emulator struct {
	opts  EmulatorOptions
	store *hosts.Store
	mu    sync.Mutex
	imgs  map[string]*storedImage
	rate  *hosts.Window
}

// storedImage is one image's entry in the state file; its bytes are the
// store's file named ID.
type storedImage struct {
	ID      string    `json:"id"`
	File    string    `json:"file"`
	Mime    string    `json:"mime"`
	Size    int64     `json:"size"`
	Time    time.Time `json:"time"`
	Expires time.Time `json:"expires,omitzero"`
	// DeleteHash is the secret part of the delete page's URL, kept so the
	// page still deletes after a restart.
	DeleteHash string `json:"delete_hash,omitempty"`
}

// state is what the state file holds.
type state struct {
	Images map[string]*storedImage `json:"images"`
}

// NewEmulator returns an emulator for opts, with what opts.Dir holds.
func NewEmulator(opts EmulatorOptions) *Emulator {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Prefix = strings.TrimRight(opts.Prefix, "/")
	e := &Emulator{opts: opts, imgs: map[string]*storedImage{}, rate: hosts.NewWindow(opts.UploadsPerMinute, time.Minute),
		store: hosts.OpenStore(hosts.EmulatorSetup{Prefix: opts.Prefix, Dir: opts.Dir, Quota: opts.Quota, Log: opts.Log, Fsync: opts.Fsync})}
	var st state
	_ = e.store.Load(&st) // logged by the store; a bad state starts empty
	kept, changed := hosts.RestoreFiles(e.store, st.Images,
		func(id string, img *storedImage) bool { return img.ID == id && validID(id) },
		func(img *storedImage, size int64) { img.Size = size },
		func(id string, size int64) *storedImage {
			// Without its state an image is still served at its link: the
			// name is lost, so any name after the id is accepted.
			if !validID(id) {
				return nil
			}
			return &storedImage{ID: id, Mime: http.DetectContentType(e.store.Head(id)), Size: size, Time: opts.Now()}
		})
	e.imgs = kept
	e.mu.Lock()
	if e.sweep(opts.Now()) || changed {
		_ = e.store.Save(e.state())
	}
	e.mu.Unlock()
	return e
}

// validID accepts the ids newID makes, so a tampered state file cannot
// name a path outside the store.
func validID(id string) bool {
	if len(id) != 7 {
		return false
	}
	for _, r := range id {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// state is the current state; the caller holds e.mu.
func (e *Emulator) state() state { return state{Images: e.imgs} }

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
	case e.opts.KeyRequired && !e.validKey(r.URL.Query().Get("key")):
		// The upload reads its key from the form as well; everything
		// else (image URLs, pages) takes it in the query.
		writeError(w, http.StatusBadRequest, 100, "Invalid API v1 key.")
	case strings.HasPrefix(p, "/i/") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		e.serveImage(w, r, strings.TrimPrefix(p, "/i/"))
	case strings.HasPrefix(p, "/v/"):
		e.servePage(w, r, strings.TrimPrefix(p, "/v/"))
	default:
		http.NotFound(w, r)
	}
}

// maxBody allows a 32 MB image sent as base64 (4/3 larger) plus form
// overhead; the decoded size is checked against MaxSize afterwards.
const maxBody = MaxSize/3*4 + 1<<20

func (e *Emulator) upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	in, err := e.readForm(r)
	defer func() { in.file.Discard() }() // a no-op once kept
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || errors.Is(err, hosts.ErrStoreTooLarge) {
			writeError(w, http.StatusBadRequest, 310, "File too big - max 32 MB")
			return
		}
		writeError(w, http.StatusBadRequest, 130, "Empty upload source.")
		return
	}
	key := in.get(r, "key")
	if !e.validKey(key) {
		writeError(w, http.StatusBadRequest, 100, "Invalid API v1 key.")
		return
	}
	if !e.allow(key) {
		writeError(w, http.StatusBadRequest, 100, "Rate limit reached.")
		return
	}
	exp, ok := parseExpiration(in.get(r, "expiration"))
	if !ok {
		writeError(w, http.StatusBadRequest, 100, "Invalid expiration value (60-15552000 seconds).")
		return
	}
	if in.fileErr == nil && in.file == nil {
		in.file, in.fileErr = e.decodeSource(in.get(r, "image"))
	}
	if status, code, msg := sourceError(in.file, in.fileErr); msg != "" {
		writeError(w, status, code, msg)
		return
	}
	name := in.name
	if n := in.get(r, "name"); n != "" {
		name = n
	}
	e.keep(w, r, in.file, name, exp)
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
