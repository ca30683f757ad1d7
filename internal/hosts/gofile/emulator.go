package gofile

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// EmulatorOptions configures the offline GoFile.
type EmulatorOptions struct {
	Prefix string   // mount path, e.g. "/gofile"
	Tokens []string // account tokens accepted besides the guests it creates
	// UploadsPerMinute, when > 0, answers 429 "error-rateLimit" past that
	// many uploads per token (or per guest creation) in a rolling minute.
	// The window is kept in memory only, so it starts afresh on a restart.
	UploadsPerMinute int
	// Dir keeps the files, accounts and folders (see hosts.Store); Quota
	// is the disk quota shared with the other mounted emulators (nil: one
	// of its own); Memory is unused (every field GoFile takes is small or
	// streamed); Log gets what goes wrong with the stored state.
	Dir    string
	Quota  *hosts.Quota
	Memory *hosts.Memory
	Log    *slog.Logger
	Fsync  bool // fsync stored bytes (see hosts.EmulatorSetup)
	Now    func() time.Time
	// KeyRequired accepts only the account tokens of Tokens, on every
	// route (fsdeck serve --security-required): no guest account is
	// created for an upload without a token, a guest token made earlier
	// is refused, and the download page and files want the token too,
	// as a Bearer header or GoFile's accountToken cookie.
	KeyRequired bool
}

// Emulator is a GoFile kept on disk: POST {prefix}/uploadfile, DELETE
// {prefix}/contents, GET {prefix}/contents/{id} (answers error-notPremium,
// as for free accounts), the download page {prefix}/d/{code} and the files
// at {prefix}/download/web/{id}/{name}. Files, guest accounts (their
// tokens, by hash) and folders survive a restart.
type Emulator struct {
	opts    EmulatorOptions
	store   *hosts.Store
	mu      sync.Mutex
	tokens  map[string]string // hosts.Owner(token) → root folder id
	folders map[string]*folder
	files   map[string]*file
	rate    *hosts.Window
}

// NewEmulator returns an emulator for opts, with what opts.Dir holds.
func NewEmulator(opts EmulatorOptions) *Emulator {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Prefix = strings.TrimRight(opts.Prefix, "/")
	e := &Emulator{opts: opts, tokens: map[string]string{}, folders: map[string]*folder{},
		files: map[string]*file{}, rate: hosts.NewWindow(opts.UploadsPerMinute, time.Minute),
		store: hosts.OpenStore(hosts.EmulatorSetup{Prefix: opts.Prefix, Dir: opts.Dir, Quota: opts.Quota, Log: opts.Log, Fsync: opts.Fsync})}
	e.load()
	changed := false
	for _, t := range opts.Tokens {
		if _, ok := e.tokens[hosts.Owner(t)]; t != "" && !ok {
			e.tokens[hosts.Owner(t)] = e.newFolder(hosts.Owner(t))
			changed = true
		}
	}
	if changed {
		_ = e.save()
	}
	return e
}

func reply(w http.ResponseWriter, status int, s string, data any) {
	if data == nil {
		data = struct{}{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": s, "data": data})
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newFolder creates a root folder for owner; the caller holds e.mu or is
// the constructor.
func (e *Emulator) newFolder(owner string) string {
	f := &folder{ID: randHex(16), Code: randHex(3), Owner: owner}
	e.folders[f.ID] = f
	return f.ID
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, e.opts.Prefix)
	switch {
	case !ok:
		http.NotFound(w, r)
	case e.opts.KeyRequired && !e.account(r, strings.HasPrefix(p, "/d/") || strings.HasPrefix(p, "/download/")):
		reply(w, http.StatusUnauthorized, "error-token", nil)
	case p == "/uploadfile" && r.Method == http.MethodPost:
		e.uploadFile(w, r)
	case p == "/contents" && r.Method == http.MethodDelete:
		e.deleteContents(w, r)
	case strings.HasPrefix(p, "/contents/") && r.Method == http.MethodGet:
		reply(w, http.StatusUnauthorized, "error-notPremium", nil)
	case strings.HasPrefix(p, "/d/") && r.Method == http.MethodGet:
		e.page(w, r, strings.TrimPrefix(p, "/d/"))
	case strings.HasPrefix(p, "/download/web/") && r.Method == http.MethodGet:
		e.download(w, r, strings.TrimPrefix(p, "/download/web/"))
	default:
		http.NotFound(w, r)
	}
}

// bearer returns the request's token: "" when absent, ok=false when
// present but unknown.
func (e *Emulator) bearer(r *http.Request) (tok string, ok bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", true
	}
	tok, _ = strings.CutPrefix(h, "Bearer ")
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok = e.tokens[hosts.Owner(tok)]
	return tok, ok && tok != ""
}

// account reports whether the request carries one of the account tokens
// the emulator was given (not a guest's): as a Bearer header, as the API
// takes it, or (cookie: on the download page and files) as the
// accountToken cookie GoFile's download servers read.
func (e *Emulator) account(r *http.Request, cookie bool) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok && cookie {
		if c, err := r.Cookie("accountToken"); err == nil {
			tok = c.Value
		}
	}
	for _, t := range e.opts.Tokens {
		if tok != "" && subtle.ConstantTimeCompare([]byte(t), []byte(tok)) == 1 {
			return true
		}
	}
	return false
}

func (e *Emulator) allow(who string) bool {
	return e.rate.Allow(who, e.opts.Now())
}

func (e *Emulator) uploadFile(w http.ResponseWriter, r *http.Request) {
	tok, ok := e.bearer(r)
	switch {
	case !ok:
		reply(w, http.StatusUnauthorized, "error-token", nil)
		return
	case !e.allow(tok): // guests share the "" bucket, like one IP would
		reply(w, http.StatusTooManyRequests, "error-rateLimit", nil)
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		reply(w, http.StatusBadRequest, "error-noFile", nil)
		return
	}
	f, p, folderID, status := e.readParts(mr)
	defer p.Discard() // a no-op once kept
	if status != "" {
		code := http.StatusBadRequest
		if status == "error-storage" {
			code = http.StatusRequestEntityTooLarge
		}
		reply(w, code, status, nil)
		return
	}
	e.keep(w, r, tok, folderID, f, p)
}

// readParts reads the form: an optional folderId and one file part,
// streamed to disk (its MD5 computed on the way).
func (e *Emulator) readParts(mr *multipart.Reader) (f *file, p *hosts.Pending, folderID, status string) {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, p, "", "error-upload"
		}
		switch part.FormName() {
		case "folderId":
			b, _ := io.ReadAll(io.LimitReader(part, 256))
			folderID = string(b)
		case "file":
			if f != nil {
				return nil, p, "", "error-upload" // one file per request
			}
			sum := md5.New()
			p, err = e.store.Receive(io.TeeReader(part, sum), 0)
			switch {
			case errors.Is(err, hosts.ErrStoreQuota):
				return nil, nil, "", "error-storage"
			case err != nil:
				return nil, nil, "", "error-upload"
			}
			f = &file{Name: part.FileName(), MD5: hex.EncodeToString(sum.Sum(nil))}
		}
	}
	if f == nil {
		return nil, p, "", "error-noFile"
	}
	return f, p, folderID, ""
}

func (e *Emulator) keep(w http.ResponseWriter, r *http.Request, tok, folderID string, f *file, p *hosts.Pending) {
	f.ID, f.Size = randHex(16), p.Size
	e.mu.Lock()
	defer e.mu.Unlock()
	guestToken := ""
	if tok == "" { // first upload without a token: a guest account and folder
		tok = randHex(16)
		guestToken = tok
		e.tokens[hosts.Owner(tok)] = e.newFolder(hosts.Owner(tok))
	}
	if folderID == "" {
		folderID = e.tokens[hosts.Owner(tok)]
	}
	fo, ok := e.folders[folderID]
	if !ok || fo.Owner != hosts.Owner(tok) {
		reply(w, http.StatusBadRequest, "error-folderId", nil)
		return
	}
	f.Folder, f.Created = folderID, e.opts.Now()
	f.Name = safeName(f.Name)
	f.Mime = http.DetectContentType(p.Head)
	if err := p.Keep(f.ID); err != nil {
		reply(w, http.StatusInternalServerError, "error-upload", nil)
		return
	}
	e.files[f.ID] = f
	if err := e.save(); err != nil {
		delete(e.files, f.ID)
		e.store.Remove(f.ID, f.Size)
		reply(w, http.StatusInternalServerError, "error-upload", nil)
		return
	}
	data := map[string]any{
		"createTime": f.Created.Unix(), "downloadPage": e.link(r, "/d/"+fo.Code), "id": f.ID,
		"md5": f.MD5, "mimetype": f.Mime, "modTime": f.Created.Unix(), "name": f.Name,
		"parentFolder": fo.ID, "parentFolderCode": fo.Code, "servers": []string{"local"},
		"size": f.Size, "type": "file",
	}
	if guestToken != "" {
		data["guestToken"] = guestToken
	}
	reply(w, http.StatusOK, "ok", data)
}

// safeName keeps the base name, without path or control characters.
func safeName(n string) string {
	n = n[strings.LastIndexAny(n, "/\\")+1:]
	n = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, n)
	if n == "" || n == "." || n == ".." || len(n) > 255 {
		return "file"
	}
	return n
}

// link is the absolute URL of the emulator's path p for a reply to r:
// under the mount, or on gofile.io when the request came in on one of
// GoFile's hosts (hosts.LinkFor).
func (e *Emulator) link(r *http.Request, p string) string {
	return hosts.LinkFor(r, e.opts.Prefix, p)
}

func (e *Emulator) deleteContents(w http.ResponseWriter, r *http.Request) {
	tok, ok := e.bearer(r)
	if !ok || tok == "" {
		reply(w, http.StatusUnauthorized, "error-token", nil)
		return
	}
	var body struct {
		ContentsID string `json:"contentsId"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body); err != nil || body.ContentsID == "" {
		reply(w, http.StatusBadRequest, "error-contentsId", nil)
		return
	}
	ids := strings.Split(body.ContentsID, ",")
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range ids { // all or nothing: check every id first
		var fo *folder
		if f, ok := e.files[id]; ok {
			fo = e.folders[f.Folder] // nil for a file recovered without its state
		}
		if fo == nil || fo.Owner != hosts.Owner(tok) {
			reply(w, http.StatusNotFound, "error-notFound", nil)
			return
		}
	}
	gone := map[string]*file{}
	for _, id := range ids {
		gone[id] = e.files[id]
		delete(e.files, id)
	}
	if err := e.save(); err != nil {
		for id, f := range gone { // still stored, so not reported deleted
			e.files[id] = f
		}
		reply(w, http.StatusInternalServerError, "error-upload", nil)
		return
	}
	out := map[string]any{}
	for id, f := range gone {
		e.store.Remove(id, f.Size)
		out[id] = map[string]any{"status": "ok", "data": struct{}{}}
	}
	reply(w, http.StatusOK, "ok", out)
}

// page stands in for the download page: a minimal HTML list of the
// folder's files linking to their direct downloads.
func (e *Emulator) page(w http.ResponseWriter, r *http.Request, code string) {
	e.mu.Lock()
	var links []string
	for _, fo := range e.folders {
		if fo.Code != code {
			continue
		}
		for _, f := range e.files {
			if f.Folder == fo.ID {
				u := e.link(r, "/download/web/"+f.ID+"/"+url.PathEscape(f.Name))
				links = append(links, `<li><a href="`+html.EscapeString(u)+`">`+html.EscapeString(f.Name)+`</a></li>`)
			}
		}
	}
	e.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(w, "<!doctype html><title>fsdeck GoFile emulator</title><ul>"+strings.Join(links, "")+"</ul>\n")
}

func (e *Emulator) download(w http.ResponseWriter, r *http.Request, rest string) {
	id, name, _ := strings.Cut(rest, "/")
	e.mu.Lock()
	f, ok := e.files[id]
	e.mu.Unlock()
	if !ok || (name != f.Name && f.Name != "") {
		http.NotFound(w, r)
		return
	}
	e.store.Serve(w, r, id, f.Mime)
}
