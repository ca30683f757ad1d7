package gofile

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/hosts"
)

// EmulatorOptions configures the offline GoFile.
type EmulatorOptions struct {
	Prefix string   // mount path, e.g. "/gofile"
	Tokens []string // account tokens accepted besides the guests it creates
	// UploadsPerMinute, when > 0, answers 429 "error-rateLimit" past that
	// many uploads per token (or per guest creation) in a rolling minute.
	UploadsPerMinute int
	MaxStored        int64 // bytes kept in memory (default 256 MiB)
	// Budget is memory shared with the other mounted emulators (nil:
	// MaxStored only); past it the oldest stored files are evicted.
	Budget *hosts.Budget
	Now    func() time.Time
}

// Emulator is an in-memory GoFile: POST {prefix}/uploadfile, DELETE
// {prefix}/contents, GET {prefix}/contents/{id} (answers error-notPremium,
// as for free accounts), the download page {prefix}/d/{code} and the files
// at {prefix}/download/web/{id}/{name}.
type Emulator struct {
	opts    EmulatorOptions
	mu      sync.Mutex
	tokens  map[string]string // token → root folder id
	folders map[string]*folder
	files   map[string]*file
	used    int64
	rate    *hosts.Window
}

type folder struct{ id, code, owner string }

type file struct {
	id, name, folder, mime string
	data                   []byte
	created                time.Time
	hold                   *hosts.Hold
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
	e := &Emulator{opts: opts, tokens: map[string]string{}, folders: map[string]*folder{},
		files: map[string]*file{}, rate: hosts.NewWindow(opts.UploadsPerMinute, time.Minute)}
	for _, t := range opts.Tokens {
		if t != "" {
			e.tokens[t] = e.newFolder(t)
		}
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
	f := &folder{id: randHex(16), code: randHex(3), owner: owner}
	e.folders[f.id] = f
	return f.id
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, e.opts.Prefix)
	switch {
	case !ok:
		http.NotFound(w, r)
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
	_, ok = e.tokens[tok]
	return tok, ok && tok != ""
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
	// What one request may buffer: the store's cap, or the shared
	// budget's when smaller.
	r.Body = http.MaxBytesReader(w, r.Body, e.opts.Budget.Cap(e.opts.MaxStored)+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		reply(w, http.StatusBadRequest, "error-noFile", nil)
		return
	}
	f, folderID, status := readParts(mr)
	if status != "" {
		reply(w, http.StatusBadRequest, status, nil)
		return
	}
	e.store(w, r, tok, folderID, f)
}

// readParts reads the form: an optional folderId and one file part.
func readParts(mr *multipart.Reader) (f *file, folderID, status string) {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", "error-upload"
		}
		switch part.FormName() {
		case "folderId":
			b, _ := io.ReadAll(io.LimitReader(part, 256))
			folderID = string(b)
		case "file":
			if f != nil {
				return nil, "", "error-upload" // one file per request
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, "", "error-upload"
			}
			f = &file{name: part.FileName(), data: data}
		}
	}
	if f == nil {
		return nil, "", "error-noFile"
	}
	return f, folderID, ""
}

func (e *Emulator) store(w http.ResponseWriter, r *http.Request, tok, folderID string, f *file) {
	f.id = randHex(16)
	hold, ok := e.opts.Budget.Take(int64(len(f.data)), func() { e.drop(f.id) })
	if !ok {
		reply(w, http.StatusRequestEntityTooLarge, "error-storage", nil)
		return
	}
	f.hold = hold
	e.mu.Lock()
	guestToken := ""
	if tok == "" { // first upload without a token: a guest account and folder
		tok = randHex(16)
		guestToken = tok
		e.tokens[tok] = e.newFolder(tok)
	}
	if folderID == "" {
		folderID = e.tokens[tok]
	}
	fo, ok := e.folders[folderID]
	if !ok || fo.owner != tok {
		e.mu.Unlock()
		hold.Release()
		reply(w, http.StatusBadRequest, "error-folderId", nil)
		return
	}
	if hold.Evicted() || e.used+int64(len(f.data)) > e.opts.MaxStored {
		e.mu.Unlock()
		hold.Release()
		reply(w, http.StatusRequestEntityTooLarge, "error-storage", nil)
		return
	}
	f.folder, f.created = folderID, e.opts.Now()
	f.name = safeName(f.name)
	f.mime = http.DetectContentType(f.data[:min(len(f.data), 512)])
	e.files[f.id] = f
	e.used += int64(len(f.data))
	e.mu.Unlock()
	sum := md5.Sum(f.data)
	data := map[string]any{
		"createTime": f.created.Unix(), "downloadPage": e.base(r) + "/d/" + fo.code, "id": f.id,
		"md5": hex.EncodeToString(sum[:]), "mimetype": f.mime, "modTime": f.created.Unix(), "name": f.name,
		"parentFolder": fo.id, "parentFolderCode": fo.code, "servers": []string{"local"},
		"size": len(f.data), "type": "file",
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

func (e *Emulator) base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + e.opts.Prefix
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
		f, ok := e.files[id]
		if !ok || e.folders[f.folder].owner != tok {
			reply(w, http.StatusNotFound, "error-notFound", nil)
			return
		}
	}
	out := map[string]any{}
	for _, id := range ids {
		e.used -= int64(len(e.files[id].data))
		e.files[id].hold.Release()
		delete(e.files, id)
		out[id] = map[string]any{"status": "ok", "data": struct{}{}}
	}
	reply(w, http.StatusOK, "ok", out)
}

// drop forgets a file the shared budget evicted.
func (e *Emulator) drop(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f, ok := e.files[id]; ok {
		e.used -= int64(len(f.data))
		delete(e.files, id)
	}
}

// page stands in for the download page: a minimal HTML list of the
// folder's files linking to their direct downloads.
func (e *Emulator) page(w http.ResponseWriter, r *http.Request, code string) {
	e.mu.Lock()
	var links []string
	for _, fo := range e.folders {
		if fo.code != code {
			continue
		}
		for _, f := range e.files {
			if f.folder == fo.id {
				u := e.base(r) + "/download/web/" + f.id + "/" + url.PathEscape(f.name)
				links = append(links, `<li><a href="`+html.EscapeString(u)+`">`+html.EscapeString(f.name)+`</a></li>`)
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
	if !ok || name != f.name {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.mime)
	_, _ = w.Write(f.data)
}
