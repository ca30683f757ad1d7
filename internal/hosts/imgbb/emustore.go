package imgbb

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"image"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// keep moves an accepted upload into the store, records it in the state
// file and answers ImgBB's reply.
func (e *Emulator) keep(w http.ResponseWriter, r *http.Request, p *hosts.Pending, name string, exp time.Duration) {
	mime := http.DetectContentType(p.Head)
	ext := "." + strings.TrimPrefix(mime, "image/")
	if ext == ".jpeg" {
		ext = ".jpg"
	}
	now := e.opts.Now()
	hash := make([]byte, 16)
	_, _ = rand.Read(hash)
	img := &storedImage{ID: newID(), File: safeName(name, ext), Mime: mime, Size: p.Size, Time: now,
		DeleteHash: hex.EncodeToString(hash)}
	if exp > 0 {
		img.Expires = now.Add(exp)
	}
	if err := p.Keep(img.ID); err != nil {
		writeError(w, http.StatusInternalServerError, 0, "Upload failed: the fsdeck emulator could not store the image.")
		return
	}
	e.mu.Lock()
	e.sweep(now)
	e.imgs[img.ID] = img
	if err := e.store.Save(e.state()); err != nil {
		delete(e.imgs, img.ID)
		e.store.Remove(img.ID, img.Size)
		e.mu.Unlock()
		writeError(w, http.StatusInternalServerError, 0, "Upload failed: the fsdeck emulator could not store the image.")
		return
	}
	e.mu.Unlock()

	direct := e.link(r, "/i/"+img.ID+"/"+img.File)
	sub := func(kind string) map[string]string {
		u := direct
		if kind != "" {
			u = e.link(r, "/i/"+img.ID+"/"+kind+"/"+img.File)
		}
		return map[string]string{"filename": img.File, "name": strings.TrimSuffix(img.File, ext),
			"mime": mime, "extension": ext[1:], "url": u}
	}
	// Numbers are quoted as in ImgBB's documented example reply
	// ("width":"1","height":"1","size":"42"), as decimal digits.
	width, height := e.dimensions(img.ID)
	data := map[string]any{
		"id": img.ID, "title": strings.TrimSuffix(img.File, ext),
		"url_viewer": e.link(r, "/v/"+img.ID), "url": direct, "display_url": direct,
		"width": strconv.Itoa(width), "height": strconv.Itoa(height),
		"size": strconv.FormatInt(img.Size, 10), "time": strconv.FormatInt(now.Unix(), 10),
		"expiration": strconv.FormatInt(int64(exp/time.Second), 10),
		"image":      sub(""), "thumb": sub("thumb"), "medium": sub("medium"),
		"delete_url": e.link(r, "/v/"+img.ID+"/"+img.DeleteHash),
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "success": true, "status": 200})
}

// dimensions reads a stored image's width and height from its header
// (0, 0 for a type the emulator cannot read, which it never stores:
// uploads are checked to be images first).
func (e *Emulator) dimensions(id string) (int, int) {
	f, err := e.store.Open(id)
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return 0, 0
	}
	return cfg.Width, cfg.Height
}

// sweep deletes expired images (bytes included) and reports whether any
// went; the caller holds e.mu and saves the state.
func (e *Emulator) sweep(now time.Time) bool {
	gone := false
	for id, img := range e.imgs {
		if !img.Expires.IsZero() && !now.Before(img.Expires) {
			delete(e.imgs, id)
			e.store.Remove(id, img.Size)
			gone = true
		}
	}
	return gone
}

// link is the absolute URL of the emulator's path p for a reply to r:
// under the mount on the host the client called, or on ImgBB's own hosts
// (i.ibb.co, ibb.co) when the request came in on one (hosts.LinkFor), so
// links work whichever way the listener was reached.
func (e *Emulator) link(r *http.Request, p string) string {
	return hosts.LinkFor(r, e.opts.Prefix, p)
}

// serveImage answers {id}/{file} (the image) and {id}/{kind}/{file} (its
// thumb or medium rendition).
func (e *Emulator) serveImage(w http.ResponseWriter, r *http.Request, rest string) {
	id, file, _ := strings.Cut(rest, "/")
	kind := ""
	if k, f, ok := strings.Cut(file, "/"); ok && renditionKind(k) {
		kind, file = k, f
	}
	e.mu.Lock()
	if e.sweep(e.opts.Now()) {
		_ = e.store.Save(e.state())
	}
	img, ok := e.imgs[id]
	e.mu.Unlock()
	switch {
	case !ok || (img.File != file && img.File != ""):
		http.NotFound(w, r)
	case kind != "":
		e.store.ServeRendition(w, r, e.opts.Memory, id, img.Mime, kind, renditions[kind])
	default:
		e.store.Serve(w, r, id, img.Mime)
	}
}
