package emulator

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// processBody is POST /process: filestack-js and -python send "apikey",
// filestack-go "apiKey"; sources are URL strings or {source, headers}.
type processBody struct {
	APIKey     string            `json:"apikey"`
	APIKeyGo   string            `json:"apiKey"`
	Sources    []json.RawMessage `json:"sources"`
	Tasks      []processTask     `json:"tasks"`
	UploadTags map[string]string `json:"upload_tags"`
}

type processTask struct {
	Name   string         `json:"name"`
	Params map[string]any `json:"params"`
}

func (s *Server) handleProcessJSON(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeTextError(w, errorf(http.StatusMethodNotAllowed, "/process needs POST"))
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, s.opts.MaxRequestBody))
	if err != nil {
		writeTextError(w, bodyError(err, s.opts.MaxRequestBody))
		return
	}
	var body processBody
	if err := json.Unmarshal(raw, &body); err != nil {
		writeTextError(w, errorf(http.StatusBadRequest, "malformed JSON body: %v", err))
		return
	}
	c, err := body.chain()
	if err != nil {
		writeTextError(w, err)
		return
	}
	if c.APIKey == "" {
		writeTextError(w, errorf(http.StatusBadRequest, "missing apikey"))
		return
	}
	if _, ok := c.Task("store"); !ok {
		writeTextError(w, errorf(http.StatusBadRequest, "/process needs a store task"))
		return
	}
	res, err := s.runChain(r, c)
	if err != nil {
		writeTextError(w, err)
		return
	}
	defer res.close()
	out := map[string]any{}
	if json.Unmarshal(res.body, &out) == nil && len(body.UploadTags) > 0 {
		out["upload_tags"] = body.UploadTags
	}
	writeJSON(w, http.StatusOK, out)
}

func (b processBody) chain() (transform.Chain, error) {
	c := transform.Chain{APIKey: b.APIKey}
	if c.APIKey == "" {
		c.APIKey = b.APIKeyGo
	}
	for _, raw := range b.Sources {
		var src string
		var obj struct {
			Source string `json:"source"`
		}
		switch {
		case json.Unmarshal(raw, &src) == nil:
		case json.Unmarshal(raw, &obj) == nil && obj.Source != "":
			src = obj.Source
		default:
			return c, errorf(http.StatusBadRequest, "sources must hold URL strings or {\"source\": ...} objects")
		}
		c.Source.Items = append(c.Source.Items, src)
	}
	if len(c.Source.Items) == 0 {
		return c, errorf(http.StatusBadRequest, "sources must not be empty")
	}
	c.Source.Array = len(c.Source.Items) > 1
	for _, t := range b.Tasks {
		if t.Name == "" {
			return c, errorf(http.StatusBadRequest, "every task needs a name")
		}
		c.Tasks = append(c.Tasks, transform.FromJSON(t.Name, t.Params))
	}
	return c, nil
}
