package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// upReq is one Upload API call, decoded from either encoding the SDKs use:
// JSON with a nested "store" object, or multipart/form-data (and urlencoded)
// with store_* fields, multipart=true and parts as "1:etag;2:etag".
type upReq struct {
	APIKey, URI, Region, UploadID string
	Filename, Mimetype, MD5       string
	Policy, Signature             string
	Size, Offset                  int64
	HasSize, HasOffset            bool
	Part                          int
	FII                           bool
	Store                         storeOpts
	Parts                         []partRef
	UploadTags                    map[string]string
	Workflows                     []string
}

type partRef struct {
	Number int
	ETag   string
}

// decodeUpReq reads the body (at most max bytes) into an upReq; every
// malformed or wrong-typed field is a 400 naming the field.
func decodeUpReq(r *http.Request, max int64) (*upReq, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	r.Body = http.MaxBytesReader(nil, r.Body, max)
	switch ct {
	case "application/json", "":
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, bodyError(err, max)
		}
		return decodeJSONReq(raw)
	case "multipart/form-data":
		if err := r.ParseMultipartForm(max); err != nil {
			return nil, bodyError(err, max)
		}
		defer r.MultipartForm.RemoveAll()
		return decodeFormReq(r.MultipartForm.Value)
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, bodyError(err, max)
		}
		return decodeFormReq(r.PostForm)
	}
	return nil, errorf(http.StatusBadRequest, "unsupported Content-Type %q: send JSON or multipart/form-data", ct)
}

func bodyError(err error, max int64) error {
	if isBodyTimeout(err) {
		return asAPIError(err)
	}
	if _, ok := err.(*http.MaxBytesError); ok {
		return errorf(http.StatusRequestEntityTooLarge, "request body over %d bytes", max)
	}
	return errorf(http.StatusBadRequest, "malformed request body: %v", err)
}

// jsonFields gives typed, lenient access to a JSON object: numbers may come
// as numbers or numeric strings, booleans as true/false or "true"/"false".
type jsonFields map[string]json.RawMessage

func (f jsonFields) str(key string) (string, error) {
	raw, ok := f[key]
	if !ok || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errorf(http.StatusBadRequest, "field `%s` must be a string", key)
	}
	return s, nil
}

func (f jsonFields) num(key string) (int64, bool, error) {
	raw, ok := f[key]
	if !ok || string(raw) == "null" {
		return 0, false, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false, errorf(http.StatusBadRequest, "field `%s` must be a number", key)
		}
		n = json.Number(s)
	}
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return 0, false, errorf(http.StatusBadRequest, "field `%s` must be an integer", key)
	}
	return v, true, nil
}

func (f jsonFields) boolean(key string) (bool, error) {
	raw, ok := f[key]
	if !ok || string(raw) == "null" {
		return false, nil
	}
	switch strings.Trim(string(raw), `"`) {
	case "true":
		return true, nil
	case "false", "":
		return false, nil
	}
	return false, errorf(http.StatusBadRequest, "field `%s` must be true or false", key)
}

func decodeJSONReq(raw []byte) (*upReq, error) {
	var f jsonFields
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, errorf(http.StatusBadRequest, "malformed JSON body: %v", err)
	}
	q := &upReq{}
	var err error
	strs := []struct {
		key string
		dst *string
	}{{"apikey", &q.APIKey}, {"uri", &q.URI}, {"region", &q.Region}, {"upload_id", &q.UploadID},
		{"filename", &q.Filename}, {"mimetype", &q.Mimetype}, {"md5", &q.MD5}, {"policy", &q.Policy},
		{"signature", &q.Signature}}
	for _, s := range strs {
		if *s.dst, err = f.str(s.key); err != nil {
			return nil, err
		}
	}
	if q.Size, q.HasSize, err = f.num("size"); err != nil {
		return nil, err
	}
	if q.Offset, q.HasOffset, err = f.num("offset"); err != nil {
		return nil, err
	}
	part, _, err := f.num("part")
	if err != nil {
		return nil, err
	}
	if q.Part, err = partNumber("part", part); err != nil {
		return nil, err
	}
	fii, err := f.boolean("fii")
	if err != nil {
		return nil, err
	}
	multi, err := f.boolean("multipart")
	if err != nil {
		return nil, err
	}
	q.FII = fii || multi
	if err := decodeJSONStore(f, q); err != nil {
		return nil, err
	}
	if err := decodeJSONParts(f, q); err != nil {
		return nil, err
	}
	return q, decodeJSONTags(f, q)
}

func decodeJSONStore(f jsonFields, q *upReq) error {
	raw, ok := f["store"]
	if !ok || string(raw) == "null" {
		return nil
	}
	var sf jsonFields
	if err := json.Unmarshal(raw, &sf); err != nil {
		return errorf(http.StatusBadRequest, "field `store` must be an object")
	}
	dsts := []struct {
		key string
		dst *string
	}{{"location", &q.Store.Location}, {"path", &q.Store.Path}, {"container", &q.Store.Container},
		{"region", &q.Store.Region}, {"access", &q.Store.Access}, {"filename", &q.Store.Filename}}
	for _, d := range dsts {
		v, err := sf.str(d.key)
		if err != nil {
			return errorf(http.StatusBadRequest, "field `store.%s` must be a string", d.key)
		}
		*d.dst = v
	}
	if wf, ok := sf["workflows"]; ok {
		ws, err := decodeWorkflows(wf)
		if err != nil {
			return err
		}
		q.Workflows = ws
	}
	return nil
}

// decodeWorkflows accepts ["id", ...], [{"id": ...}, ...] or one string ([go]).
func decodeWorkflows(raw json.RawMessage) ([]string, error) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errorf(http.StatusBadRequest, "field `store.workflows` must be an array")
	}
	var out []string
	for _, it := range items {
		var s string
		var obj struct {
			ID string `json:"id"`
		}
		switch {
		case json.Unmarshal(it, &s) == nil:
			out = append(out, s)
		case json.Unmarshal(it, &obj) == nil && obj.ID != "":
			out = append(out, obj.ID)
		default:
			return nil, errorf(http.StatusBadRequest, "field `store.workflows` must hold IDs or {\"id\":...} objects")
		}
	}
	return out, nil
}

func decodeJSONParts(f jsonFields, q *upReq) error {
	raw, ok := f["parts"]
	if !ok || string(raw) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		parts, err := parsePartsString(s)
		q.Parts = parts
		return err
	}
	var items []jsonFields
	if err := json.Unmarshal(raw, &items); err != nil {
		return errorf(http.StatusBadRequest, "field `parts` must be an array of {part_number, etag}")
	}
	for i, it := range items {
		n, has, err := it.num("part_number")
		if err != nil || !has {
			return errorf(http.StatusBadRequest, "parts[%d].part_number must be a number", i)
		}
		num, err := partNumber(fmt.Sprintf("parts[%d].part_number", i), n)
		if err != nil {
			return err
		}
		etag, err := it.str("etag")
		if err != nil || etag == "" {
			return errorf(http.StatusBadRequest, "parts[%d].etag must be a non-empty string", i)
		}
		q.Parts = append(q.Parts, partRef{Number: num, ETag: etag})
	}
	return nil
}

// parsePartsString reads the form encoding "1:etag;2:etag".
func parsePartsString(s string) ([]partRef, error) {
	var out []partRef
	for _, item := range strings.Split(s, ";") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		num, etag, ok := strings.Cut(item, ":")
		n, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || etag == "" {
			return nil, errorf(http.StatusBadRequest, "field `parts` must look like \"1:etag;2:etag\", got %q", truncate(item, 40))
		}
		pn, err := partNumber("parts", n)
		if err != nil {
			return nil, err
		}
		out = append(out, partRef{Number: pn, ETag: etag})
	}
	return out, nil
}

func decodeJSONTags(f jsonFields, q *upReq) error {
	raw, ok := f["upload_tags"]
	if !ok || string(raw) == "null" {
		return nil
	}
	var tags map[string]string
	if err := json.Unmarshal(raw, &tags); err != nil {
		var list []string // filestack-go sends a string array; keep them as keys
		if json.Unmarshal(raw, &list) != nil {
			return errorf(http.StatusBadRequest, "field `upload_tags` must be an object of strings")
		}
		tags = map[string]string{}
		for _, k := range list {
			tags[k] = ""
		}
	}
	if len(tags) > 10 {
		return errorf(http.StatusBadRequest, "upload_tags has %d keys; at most 10 are allowed", len(tags))
	}
	for k, v := range tags {
		if len(k) > 128 || len(v) > 256 {
			return errorf(http.StatusBadRequest, "upload_tags keys are limited to 128 and values to 256 characters")
		}
	}
	q.UploadTags = tags
	return nil
}

func decodeFormReq(v map[string][]string) (*upReq, error) {
	get := func(k string) string {
		if vs := v[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	q := &upReq{APIKey: get("apikey"), URI: get("uri"), Region: get("region"), UploadID: get("upload_id"),
		Filename: get("filename"), Mimetype: get("mimetype"), MD5: get("md5"), Policy: get("policy"),
		Signature: get("signature"),
		FII:       get("fii") == "true" || get("multipart") == "true",
		Store: storeOpts{Location: get("store_location"), Path: get("store_path"), Container: get("store_container"),
			Region: get("store_region"), Access: get("store_access")}}
	nums := []struct {
		key string
		dst *int64
		has *bool
	}{{"size", &q.Size, &q.HasSize}, {"offset", &q.Offset, &q.HasOffset}}
	for _, n := range nums {
		if s := get(n.key); s != "" {
			val, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, errorf(http.StatusBadRequest, "field `%s` must be an integer", n.key)
			}
			*n.dst, *n.has = val, true
		}
	}
	if s := get("part"); s != "" {
		p, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, errorf(http.StatusBadRequest, "field `part` must be an integer")
		}
		if q.Part, err = partNumber("part", p); err != nil {
			return nil, err
		}
	}
	if s := get("parts"); s != "" {
		parts, err := parsePartsString(s)
		if err != nil {
			return nil, err
		}
		q.Parts = parts
	}
	return q, nil
}

// partNumber converts a part number a client sent to an int, refusing
// one no part can have (S3's 1..10,000; 0 is "none given", which the
// calls that need a part refuse) before it could wrap on a platform with
// 32-bit ints and alias a real part.
func partNumber(field string, n int64) (int, error) {
	if n < 0 || n > maxParts {
		return 0, errorf(http.StatusBadRequest, "%s: part number %d out of range 1..%d", field, n, maxParts)
	}
	return int(n), nil
}

// sortedParts orders parts by number and rejects duplicates.
func sortedParts(parts []partRef) ([]partRef, error) {
	out := append([]partRef(nil), parts...)
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	for i := 1; i < len(out); i++ {
		if out[i].Number == out[i-1].Number {
			return nil, errorf(http.StatusBadRequest, "part %d is listed twice", out[i].Number)
		}
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
