package imgbb

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (e *Emulator) store(w http.ResponseWriter, r *http.Request, data []byte, name string, exp time.Duration) {
	mime := http.DetectContentType(data)
	ext := "." + strings.TrimPrefix(mime, "image/")
	if ext == ".jpeg" {
		ext = ".jpg"
	}
	now := e.opts.Now()
	img := &storedImage{id: newID(), file: safeName(name, ext), mime: mime, data: data}
	if exp > 0 {
		img.expires = now.Add(exp)
	}
	hold, ok := e.opts.Budget.Take(int64(len(data)), func() { e.drop(img.id) })
	if !ok {
		writeError(w, http.StatusBadRequest, 310, "File too big - over the fsdeck emulator's memory budget")
		return
	}
	img.hold = hold
	e.mu.Lock()
	e.sweep(now)
	if hold.Evicted() || e.used+int64(len(data)) > e.opts.MaxStored {
		e.mu.Unlock()
		hold.Release()
		writeError(w, http.StatusBadRequest, 310, "Storage full (fsdeck emulator limit).")
		return
	}
	e.used += int64(len(data))
	e.imgs[img.id] = img
	e.mu.Unlock()

	base := e.base(r)
	direct := base + "/i/" + img.id + "/" + img.file
	sub := func() map[string]string {
		return map[string]string{"filename": img.file, "name": strings.TrimSuffix(img.file, ext),
			"mime": mime, "extension": ext[1:], "url": direct}
	}
	hash := make([]byte, 16)
	_, _ = rand.Read(hash)
	// Numbers are quoted as in ImgBB's documented example reply.
	data2 := map[string]any{
		"id": img.id, "title": strings.TrimSuffix(img.file, ext),
		"url_viewer": base + "/v/" + img.id, "url": direct, "display_url": direct,
		"size": strconv.Itoa(len(data)), "time": strconv.FormatInt(now.Unix(), 10),
		"expiration": strconv.FormatInt(int64(exp/time.Second), 10),
		"image":      sub(), "thumb": sub(), "medium": sub(),
		"delete_url": base + "/v/" + img.id + "/" + hex.EncodeToString(hash),
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data2, "success": true, "status": 200})
}

// sweep drops expired images; the caller holds e.mu.
func (e *Emulator) sweep(now time.Time) {
	for id, img := range e.imgs {
		if !img.expires.IsZero() && !now.Before(img.expires) {
			e.used -= int64(len(img.data))
			delete(e.imgs, id)
			img.hold.Release()
		}
	}
}

// drop forgets an image the shared budget evicted.
func (e *Emulator) drop(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if img, ok := e.imgs[id]; ok {
		e.used -= int64(len(img.data))
		delete(e.imgs, id)
	}
}

// base is the absolute URL of the mount point, from the request's host, so
// links work whichever address the listener was reached on.
func (e *Emulator) base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + e.opts.Prefix
}

func (e *Emulator) serveImage(w http.ResponseWriter, r *http.Request, rest string) {
	id, file, _ := strings.Cut(rest, "/")
	e.mu.Lock()
	e.sweep(e.opts.Now())
	img, ok := e.imgs[id]
	e.mu.Unlock()
	if !ok || img.file != file {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", img.mime)
	w.Header().Set("Content-Length", strconv.Itoa(len(img.data)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(img.data)
}
