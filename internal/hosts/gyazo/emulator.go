package gyazo

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// EmulatorOptions configures the offline Gyazo.
type EmulatorOptions struct {
	Prefix string   // mount path, e.g. "/gyazo"
	Tokens []string // accepted access tokens; each sees only its images
	// MaxUpload bounds one image (default 64 MiB). Gyazo publishes no
	// figure; this protects the emulator's host, nothing more.
	MaxUpload int64
	// Dir keeps the images and their state (see hosts.Store); Quota is
	// the disk quota shared with the other mounted emulators (nil: one of
	// its own); Memory bounds form fields read in memory; Log gets what
	// goes wrong with the stored state.
	Dir    string
	Quota  *hosts.Quota
	Memory *hosts.Memory
	Log    *slog.Logger
	Fsync  bool // fsync stored bytes (see hosts.EmulatorSetup)
	Now    func() time.Time
	// KeyRequired makes the image files want an access token too (a
	// Bearer header or access_token), as the API does (fsdeck serve
	// --security-required).
	KeyRequired bool
}

// Emulator is a Gyazo kept on disk: POST {prefix}/api/upload, GET
// {prefix}/api/images (paged, X-Total-Count), GET and DELETE
// {prefix}/api/images/{id}, and the image files at {prefix}/i/{id}.{ext}.
// Images, their metadata and the list order survive a restart.
type Emulator struct {
	opts  EmulatorOptions
	store *hosts.Store
	mu    sync.Mutex
	imgs  map[string]*stored
	seq   int64 // upload order, for newest-first lists with equal times
}

// stored is one image's entry in the state file; Owner is its token's
// hosts.Owner, and its bytes are the store's file named ID.
type stored struct {
	Owner   string    `json:"owner"`
	ID      string    `json:"id"`
	Ext     string    `json:"ext"`
	Mime    string    `json:"mime"`
	Title   string    `json:"title,omitempty"`
	Desc    string    `json:"desc,omitempty"`
	Referer string    `json:"referer,omitempty"`
	Created time.Time `json:"created"`
	Seq     int64     `json:"seq"`
	Size    int64     `json:"size"`
}

type state struct {
	Seq    int64              `json:"seq"`
	Images map[string]*stored `json:"images"`
}

// NewEmulator returns an emulator for opts, with what opts.Dir holds.
func NewEmulator(opts EmulatorOptions) *Emulator {
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = 64 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Prefix = strings.TrimRight(opts.Prefix, "/")
	e := &Emulator{opts: opts, imgs: map[string]*stored{},
		store: hosts.OpenStore(hosts.EmulatorSetup{Prefix: opts.Prefix, Dir: opts.Dir, Quota: opts.Quota, Log: opts.Log, Fsync: opts.Fsync})}
	var st state
	_ = e.store.Load(&st) // logged by the store; a bad state starts empty
	kept, changed := hosts.RestoreFiles(e.store, st.Images,
		func(id string, s *stored) bool { return s.ID == id && validID(id) },
		func(s *stored, size int64) { s.Size = size },
		func(id string, size int64) *stored {
			// Without its state an image is still served at its link; its
			// owner is lost, so no token lists or deletes it.
			if !validID(id) {
				return nil
			}
			mime := http.DetectContentType(e.store.Head(id))
			return &stored{ID: id, Mime: mime, Ext: imageExt(mime), Size: size, Created: opts.Now().UTC()}
		})
	e.imgs, e.seq = kept, st.Seq
	if changed {
		_ = e.save()
	}
	return e
}

// validID accepts the 32 hex digits put makes, so a tampered state file
// cannot name a path outside the store.
func validID(id string) bool {
	_, err := hex.DecodeString(id)
	return len(id) == 32 && err == nil
}

// save writes the state; the caller holds e.mu.
func (e *Emulator) save() error { return e.store.Save(state{Seq: e.seq, Images: e.imgs}) }

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
		if _, ok := e.token(r, nil); e.opts.KeyRequired && !ok {
			fail(w, http.StatusUnauthorized, "You are not authorized.")
			return
		}
		e.file(w, r, strings.TrimPrefix(p, "/i/"))
	case strings.HasPrefix(p, "/p/") && r.Method == http.MethodGet:
		if _, ok := e.token(r, nil); e.opts.KeyRequired && !ok {
			fail(w, http.StatusUnauthorized, "You are not authorized.")
			return
		}
		e.permalink(w, r, strings.TrimPrefix(p, "/p/"))
	default:
		http.NotFound(w, r)
	}
}

// token takes the Bearer header or the access_token parameter (form or
// query), both of which Gyazo accepts.
func (e *Emulator) token(r *http.Request, form url.Values) (string, bool) {
	t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		t = form.Get("access_token")
	}
	if !ok && t == "" {
		t = r.URL.Query().Get("access_token")
	}
	for _, v := range e.opts.Tokens {
		if t != "" && t == v {
			return t, true
		}
	}
	return "", false
}

func (e *Emulator) upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, e.opts.MaxUpload+1<<20)
	form, p, err := e.readForm(r)
	defer p.Discard() // a no-op once kept
	tok, ok := e.token(r, form)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe), errors.Is(err, hosts.ErrStoreTooLarge):
		fail(w, http.StatusRequestEntityTooLarge, "imagedata is too large")
	case errors.Is(err, hosts.ErrStoreQuota):
		fail(w, http.StatusRequestEntityTooLarge, "storage full (fsdeck emulator disk quota)")
	case err != nil && !errors.Is(err, errForm):
		fail(w, http.StatusInternalServerError, "the fsdeck emulator could not store the image")
	case err != nil:
		fail(w, http.StatusBadRequest, "imagedata is required")
	case !ok:
		fail(w, http.StatusUnauthorized, "You are not authorized.")
	case p == nil || p.Size == 0:
		fail(w, http.StatusBadRequest, "imagedata is required")
	case !hosts.IsImage(p.Head):
		fail(w, http.StatusBadRequest, "imagedata is not an image")
	default:
		e.keep(w, r, tok, form, p)
	}
}

// errForm marks a body that is not a readable multipart form.
var errForm = errors.New("bad form")

// readForm streams the imagedata part into the store and reads the other
// fields (small) within the memory budget.
func (e *Emulator) readForm(r *http.Request) (url.Values, *hosts.Pending, error) {
	form := url.Values{}
	mr, err := r.MultipartReader()
	if err != nil {
		return form, nil, errForm
	}
	var p *hosts.Pending
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return form, p, nil
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return form, p, err
			}
			return form, p, errForm
		}
		if part.FormName() == "imagedata" && p == nil {
			if p, err = e.store.Receive(part, e.opts.MaxUpload); err != nil {
				return form, nil, err
			}
			continue
		}
		const limit = 64 << 10
		release, ok := e.opts.Memory.Take(r.Context(), limit)
		if !ok {
			return form, p, r.Context().Err()
		}
		b, err := io.ReadAll(io.LimitReader(part, limit))
		release()
		if err != nil {
			return form, p, errForm
		}
		form.Add(part.FormName(), string(b))
	}
}

// keep moves an accepted image into the store and records it.
func (e *Emulator) keep(w http.ResponseWriter, r *http.Request, tok string, form url.Values, p *hosts.Pending) {
	s := &stored{Owner: hosts.Owner(tok), Title: form.Get("title"), Desc: form.Get("desc"),
		Referer: form.Get("referer_url"), Created: e.created(form.Get("created_at")), Size: p.Size}
	s.Mime = http.DetectContentType(p.Head)
	s.Ext = imageExt(s.Mime)
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	s.ID = hex.EncodeToString(b) // Gyazo ids are 32 hex digits
	if err := p.Keep(s.ID); err != nil {
		fail(w, http.StatusInternalServerError, "the fsdeck emulator could not store the image")
		return
	}
	e.mu.Lock()
	e.seq++
	s.Seq = e.seq
	e.imgs[s.ID] = s
	if err := e.save(); err != nil {
		delete(e.imgs, s.ID)
		e.store.Remove(s.ID, s.Size)
		e.mu.Unlock()
		fail(w, http.StatusInternalServerError, "the fsdeck emulator could not store the image")
		return
	}
	e.mu.Unlock()
	im := e.view(r, s)
	im.Metadata = nil // the upload reply carries no metadata block
	writeJSON(w, http.StatusOK, im)
}

// imageExt is the file extension of an image type.
func imageExt(mime string) string {
	ext := strings.TrimPrefix(mime, "image/")
	if ext == "jpeg" {
		return "jpg"
	}
	return ext
}

// created honours the optional created_at (Unix seconds) field.
func (e *Emulator) created(v string) time.Time {
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f < 1e11 {
		return time.Unix(int64(f), 0).UTC()
	}
	return e.opts.Now().UTC()
}

func (e *Emulator) view(r *http.Request, s *stored) gyImage {
	link := func(p string) string { return hosts.LinkFor(r, e.opts.Prefix, p) }
	str := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	app := "fsdeck"
	return gyImage{
		ImageID: s.ID, PermalinkURL: link("/p/" + s.ID), ThumbURL: link("/i/thumb/" + strconv.Itoa(thumbBox) + "/" + s.ID + "." + s.Ext),
		URL: link("/i/" + s.ID + "." + s.Ext), Type: s.Ext, CreatedAt: s.Created.Format(CreatedAtLayout),
		Metadata: &metadata{App: &app, Title: str(s.Title), URL: str(s.Referer), Desc: str(s.Desc)},
	}
}

func (e *Emulator) list(w http.ResponseWriter, r *http.Request) {
	tok, ok := e.token(r, nil)
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
	owner := hosts.Owner(tok)
	e.mu.Lock()
	mine := make([]*stored, 0, len(e.imgs))
	for _, s := range e.imgs {
		if s.Owner == owner {
			mine = append(mine, s)
		}
	}
	e.mu.Unlock()
	sort.Slice(mine, func(i, j int) bool { return mine[i].Seq > mine[j].Seq })
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
	tok, ok := e.token(r, nil)
	if !ok {
		fail(w, http.StatusUnauthorized, "You are not authorized.")
		return
	}
	e.mu.Lock()
	s, found := e.imgs[id]
	if found && s.Owner != hosts.Owner(tok) {
		found = false
	}
	if found && r.Method == http.MethodDelete {
		delete(e.imgs, id)
		if err := e.save(); err != nil {
			e.imgs[id] = s // still listed, so the delete is not reported done
			e.mu.Unlock()
			fail(w, http.StatusInternalServerError, "the fsdeck emulator could not save the delete")
			return
		}
		e.store.Remove(id, s.Size)
	}
	e.mu.Unlock()
	switch {
	case !found:
		fail(w, http.StatusNotFound, "Not Found")
	case r.Method == http.MethodDelete:
		writeJSON(w, http.StatusOK, map[string]string{"image_id": s.ID, "type": s.Ext})
	default:
		writeJSON(w, http.StatusOK, e.view(r, s))
	}
}

func (e *Emulator) file(w http.ResponseWriter, r *http.Request, name string) {
	thumb := false
	if rest, ok := strings.CutPrefix(name, "thumb/"+strconv.Itoa(thumbBox)+"/"); ok {
		thumb, name = true, rest
	}
	id, ext, _ := strings.Cut(name, ".")
	e.mu.Lock()
	s, ok := e.imgs[id]
	e.mu.Unlock()
	if !ok || (ext != "" && ext != s.Ext) {
		http.NotFound(w, r)
		return
	}
	if thumb {
		e.store.ServeRendition(w, r, e.opts.Memory, id, s.Mime, "thumb", thumbBox)
		return
	}
	e.store.Serve(w, r, id, s.Mime)
}
