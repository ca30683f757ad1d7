package ddownload

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

var _ hosts.Stater = (*Client)(nil)

// infoEntry is one file of file/info, in the XFileSharing API layout
// DDownload's API follows: a per-file status beside its fields.
type infoEntry struct {
	Status   int           `json:"status"`
	FileCode string        `json:"filecode"`
	Name     string        `json:"name"`
	Size     hosts.FlexInt `json:"size"`
	Uploaded string        `json:"uploaded"`
}

// Stat implements hosts.Stater with GET /file/info?file_code=.
func (c *Client) Stat(ctx context.Context, id string) (hosts.Result, error) {
	var entries []infoEntry
	if err := c.api(ctx, "/file/info", url.Values{"file_code": {id}}, &entries); err != nil {
		return hosts.Result{}, err
	}
	if len(entries) != 1 {
		return hosts.Result{}, &hosts.Error{Target: Name, Msg: "unexpected file/info reply"}
	}
	f := entries[0]
	if f.Status != http.StatusOK {
		return hosts.Result{}, &hosts.Error{Target: Name, Kind: hosts.KindNotFound, Status: f.Status, Msg: "no such file"}
	}
	r := hosts.Result{Target: Name, ID: text.Reply(f.FileCode), Name: text.Reply(f.Name), Size: int64(f.Size),
		URL: c.fileURL(f.FileCode)}
	if t, err := time.Parse(time.DateTime, f.Uploaded); err == nil {
		r.Created = t
	}
	return r, nil
}

// info answers file/info for the key's own files: one entry per
// comma-separated code, status 404 for a code it does not know.
func (e *Emulator) info(w http.ResponseWriter, r *http.Request, key string) {
	codes := strings.Split(r.URL.Query().Get("file_code"), ",")
	if len(codes) > 50 || codes[0] == "" {
		e.envelope(w, http.StatusBadRequest, "Invalid file_code", nil)
		return
	}
	out := make([]map[string]any, 0, len(codes))
	e.mu.Lock()
	for _, code := range codes {
		s, ok := e.files[code]
		if !ok || s.Owner != hosts.Owner(key) {
			out = append(out, map[string]any{"status": http.StatusNotFound, "filecode": code})
			continue
		}
		out = append(out, map[string]any{"status": http.StatusOK, "filecode": s.Code, "name": s.Name,
			"size": s.Size, "uploaded": s.Uploaded.Format(time.DateTime), "downloads": 0})
	}
	e.mu.Unlock()
	e.envelope(w, http.StatusOK, "OK", map[string]any{"result": out})
}
