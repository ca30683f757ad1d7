package imgbb

import (
	"crypto/subtle"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// ImgBB answers url_viewer (ibb.co/ID) with an HTML page showing the image
// and delete_url (ibb.co/ID/HASH) with a page whose button deletes it; the
// emulator serves both at the {prefix}/v/… links its upload reply hands
// out, so every link the client offers opens. html/template escapes the
// names, which come from the state file.
var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
{{- if eq .Kind "viewer"}}
<h1>{{.Title}}</h1>
<p><img src="{{.Direct}}" alt="{{.Title}}"></p>
<p><a href="{{.Direct}}">full size</a> · <a href="{{.Thumb}}">thumb</a> · <a href="{{.Medium}}">medium</a></p>
{{- else if eq .Kind "confirm"}}
<h1>Delete {{.Title}}?</h1>
<p><img src="{{.Thumb}}" alt="{{.Title}}"></p>
<form method="post" action="{{.Self}}"><button type="submit">Delete image</button></form>
{{- else}}
<h1>{{.Title}} was deleted</h1>
{{- end}}
</body></html>
`))

// pageData fills pageTmpl.
type pageData struct {
	Kind, Title, Self, Direct, Thumb, Medium string
}

// servePage answers {prefix}/v/{id} (the viewer) and {prefix}/v/{id}/{hash}
// (the delete page: GET asks, POST deletes).
func (e *Emulator) servePage(w http.ResponseWriter, r *http.Request, rest string) {
	id, hash, isDelete := strings.Cut(rest, "/")
	switch {
	case !isDelete && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		e.writePage(w, r, id, "viewer", "")
	case isDelete && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		e.writePage(w, r, id, "confirm", hash)
	case isDelete && r.Method == http.MethodPost:
		e.deleteByPage(w, r, id, hash)
	default:
		http.NotFound(w, r)
	}
}

// lookup returns a live image, and with a hash only when it is the one
// issued at upload (compared in constant time; an image recovered without
// its state has none, so it cannot be deleted by page).
func (e *Emulator) lookup(id, hash string, needHash bool) (*storedImage, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sweep(e.opts.Now()) {
		_ = e.store.Save(e.state())
	}
	img, ok := e.imgs[id]
	if !ok || needHash && !hashMatches(img, hash) {
		return nil, false
	}
	return img, true
}

func hashMatches(img *storedImage, hash string) bool {
	return img.DeleteHash != "" && subtle.ConstantTimeCompare([]byte(img.DeleteHash), []byte(hash)) == 1
}

func (e *Emulator) writePage(w http.ResponseWriter, r *http.Request, id, kind, hash string) {
	img, ok := e.lookup(id, hash, kind != "viewer")
	if !ok {
		http.NotFound(w, r)
		return
	}
	e.render(w, r, http.StatusOK, e.pageFor(r, img, kind))
}

// deleteByPage removes the image, its renditions and its state entry, as
// the delete button on ImgBB's page does. The state is saved before the
// bytes go, so a failed save leaves the image served and listed.
func (e *Emulator) deleteByPage(w http.ResponseWriter, r *http.Request, id, hash string) {
	e.mu.Lock()
	img, ok := e.imgs[id]
	if !ok || !hashMatches(img, hash) {
		e.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	delete(e.imgs, id)
	if err := e.store.Save(e.state()); err != nil {
		e.imgs[id] = img
		e.mu.Unlock()
		http.Error(w, "the fsdeck emulator could not save the delete", http.StatusInternalServerError)
		return
	}
	e.store.Remove(id, img.Size)
	e.mu.Unlock()
	e.render(w, r, http.StatusOK, e.pageFor(r, img, "deleted"))
}

// pageFor builds the links of img's page; an image recovered without its
// state has no name, and any name after its id serves it.
// Under KeyRequired the page's links carry the key it was opened with,
// so the image and the delete button it shows work too.
func (e *Emulator) pageFor(r *http.Request, img *storedImage, kind string) pageData {
	file := img.File
	if file == "" {
		file = img.ID
	}
	q := ""
	if e.opts.KeyRequired {
		q = "?" + url.Values{"key": {r.URL.Query().Get("key")}}.Encode()
	}
	return pageData{
		Kind: kind, Title: file, Self: e.link(r, "/v/"+img.ID+"/"+img.DeleteHash) + q,
		Direct: e.link(r, "/i/"+img.ID+"/"+file) + q,
		Thumb:  e.link(r, "/i/"+img.ID+"/thumb/"+file) + q,
		Medium: e.link(r, "/i/"+img.ID+"/medium/"+file) + q,
	}
}

func (e *Emulator) render(w http.ResponseWriter, r *http.Request, status int, d pageData) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	// Only the emulator's own images and form target; no scripts. On
	// ImgBB's own hosts the page (ibb.co) shows images from i.ibb.co.
	imgSrc := "'self'"
	if u, err := url.Parse(d.Direct); err == nil && hosts.OwnHost(r) {
		imgSrc += " " + u.Scheme + "://" + u.Host
	}
	h.Set("Content-Security-Policy", "default-src 'none'; img-src "+imgSrc+"; form-action 'self'")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_ = pageTmpl.Execute(w, d)
	}
}
