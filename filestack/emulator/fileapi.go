package emulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// storeOpts are the storage options shared by every way of storing a file.
type storeOpts struct {
	Filename  string
	Mimetype  string
	Location  string
	Path      string
	Container string
	Region    string
	Access    string
	Base64    bool
}

func storeOptsFromQuery(q url.Values, location string) storeOpts {
	return storeOpts{
		Filename: q.Get("filename"), Mimetype: q.Get("mimetype"), Location: location,
		Path: q.Get("path"), Container: q.Get("container"), Region: q.Get("region"),
		Access: q.Get("access"), Base64: q.Get("base64decode") == "true",
	}
}

// meta turns options into the meta of a new file (the key follows
// Filestack: a trailing "/" in path means a folder with a random prefix).
func (o storeOpts) meta() fileMeta {
	loc := o.Location
	if loc == "" || strings.EqualFold(loc, "s3") {
		loc = "S3"
	}
	m := fileMeta{Filename: o.Filename, Mimetype: o.Mimetype, Location: loc, Container: o.Container,
		Region: o.Region, Access: o.Access}
	if m.Filename == "" {
		m.Filename = "unnamed_file"
	}
	switch {
	case o.Path == "":
	case strings.HasSuffix(o.Path, "/"):
		m.Key = o.Path + RandomToken(8) + "_" + safeKeyName(m.Filename)
	default:
		m.Key = o.Path
	}
	return m
}

// storeResponse is the File API store answer (§1): no handle key; clients
// take the handle from the last segment of url.
func (s *Server) storeResponse(r *http.Request, m fileMeta) map[string]any {
	out := map[string]any{"url": s.cdnURL(r, m.Handle), "size": m.Size, "type": m.Mimetype,
		"filename": m.Filename, "key": m.Key}
	if m.Container != "" {
		out["container"] = m.Container
	}
	return out
}

// handleStore serves POST /api/store/{location}.
func (s *Server) handleStore(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		writeFileAPIError(w, errorf(http.StatusMethodNotAllowed, "store needs POST"))
		return
	}
	location := strings.TrimPrefix(r.URL.Path, "/api/store/")
	if location == "" || strings.Contains(location, "/") {
		writeFileAPIError(w, errorf(http.StatusBadRequest, "unsupported store path: expected /api/store/{location}"))
		return
	}
	q := r.URL.Query()
	if err := s.checkKey(q.Get("key")); err != nil {
		writeFileAPIError(w, err)
		return
	}
	opts := storeOptsFromQuery(q, location)
	policy, sig, secretAuth := s.credentials(r)
	a := access{call: "store", size: -1, path: opts.Path, container: opts.Container}
	if !secretAuth {
		if err := s.authorize(policy, sig, s.opts.SecurityRequired, a); err != nil {
			writeFileAPIError(w, err)
			return
		}
	}
	cr := creds{policy: policy, signature: sig, secret: secretAuth, calls: []string{"store"}}
	m, err := s.receive(r, opts, cr, func(size int64) error {
		if secretAuth {
			return nil
		}
		a.size = size
		return s.authorize(policy, sig, s.opts.SecurityRequired, a)
	})
	if err != nil {
		writeFileAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s.storeResponse(r, m))
}

// receive reads the body in any of the three store shapes (multipart field
// fileUpload, url= form or JSON, raw bytes) into a new file; a URL is
// fetched only once cr allows it (receiveBody). check runs once the size
// is known and can still refuse the file.
func (s *Server) receive(r *http.Request, opts storeOpts, cr creds, check func(int64) error) (fileMeta, error) {
	tmp, size, head, srcURL, err := s.receiveBody(r, &opts, cr)
	if err != nil {
		return fileMeta{}, err
	}
	if err := check(size); err != nil {
		os.Remove(tmp)
		return fileMeta{}, err
	}
	m := opts.meta()
	m.SourceURL = srcURL
	m, err = s.store.commit(tmp, size, head, m)
	if err != nil {
		os.Remove(tmp)
	}
	return m, err
}

// bodyType is the media type of a request's body, as receiveBody reads it.
func bodyType(r *http.Request) (string, map[string]string) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct, params
}

// urlBody reports whether a body of type ct names a URL to fetch rather
// than holding the file (url= in a form, {"url": …} in JSON): the body
// shapes receiveBody fetches, which an overwrite needs writeUrl for.
func urlBody(ct string) bool {
	return ct == "application/x-www-form-urlencoded" || ct == "application/json"
}

// receiveBody stores the request's file bytes in a temp file. It fills in
// opts.Filename and opts.Mimetype from the body when the query had none.
// A URL in the body is fetched only if cr allows it (fetchToTemp).
func (s *Server) receiveBody(r *http.Request, opts *storeOpts, cr creds) (tmp string, size int64, head []byte, srcURL string, err error) {
	ct, params := bodyType(r)
	var body io.Reader = r.Body
	switch {
	case ct == "multipart/form-data":
		part, perr := fileUploadPart(r, params["boundary"])
		if perr != nil {
			return "", 0, nil, "", perr
		}
		defer part.Close()
		if opts.Filename == "" {
			opts.Filename = path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		}
		if opts.Mimetype == "" {
			opts.Mimetype = stripParams(part.Header.Get("Content-Type"))
		}
		body = part
	case urlBody(ct):
		u, perr := s.sourceURLFromBody(r, ct)
		if perr != nil {
			return "", 0, nil, "", perr
		}
		return s.fetchToTemp(r, cr, u, opts)
	default:
		if opts.Mimetype == "" && ct != "" {
			opts.Mimetype = ct
		}
	}
	if opts.Base64 {
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	tmp, size, head, err = s.store.writeTemp(body, s.opts.MaxUploadSize)
	if err != nil {
		if _, ok := err.(errTooLarge); !ok && !errors.As(err, new(diskError)) {
			err = errorf(http.StatusBadRequest, "could not read the request body: %v", cleanIOError(err))
		}
	}
	return tmp, size, head, "", err
}

// cleanIOError turns base64 and body-read errors into short messages.
func cleanIOError(err error) string {
	if _, ok := err.(base64.CorruptInputError); ok {
		return "body is not valid base64 (base64decode=true)"
	}
	return err.Error()
}

func fileUploadPart(r *http.Request, boundary string) (*multipart.Part, error) {
	if boundary == "" {
		return nil, errorf(http.StatusBadRequest, "multipart body without a boundary")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "malformed multipart body: %v", err)
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, errorf(http.StatusBadRequest, "multipart body has no fileUpload field")
		}
		if err != nil {
			return nil, errorf(http.StatusBadRequest, "malformed multipart body: %v", err)
		}
		if p.FormName() == "fileUpload" {
			return p, nil
		}
		p.Close()
	}
}

// sourceURLFromBody reads url= from a form body or {"url":...} from JSON.
func (s *Server) sourceURLFromBody(r *http.Request, ct string) (string, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, s.opts.MaxRequestBody+1))
	if err != nil {
		return "", errorf(http.StatusBadRequest, "could not read the request body")
	}
	if int64(len(raw)) > s.opts.MaxRequestBody {
		return "", errorf(http.StatusRequestEntityTooLarge, "request body over %d bytes", s.opts.MaxRequestBody)
	}
	var u string
	if ct == "application/json" {
		var body struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal(raw, &body); err != nil || body.URL == "" {
			return "", errorf(http.StatusBadRequest, "a JSON body is read as a store-from-URL request {\"url\": ...} and this one has no url; "+
				"to store a JSON file, send it as the fileUpload field of a multipart form, or as raw bytes with Content-Type: application/octet-stream and mimetype=application/json")
		}
		u = body.URL
	} else {
		vals, err := url.ParseQuery(string(raw))
		if err != nil {
			return "", errorf(http.StatusBadRequest, "malformed form body: %v", err)
		}
		u = vals.Get("url")
	}
	if u == "" {
		return "", errorf(http.StatusBadRequest, "missing url: give the file as fileUpload, as raw bytes, or a url= to fetch")
	}
	return u, nil
}

// fetchToTemp fetches u into a temp file on the caller's behalf, once the
// caller's credentials allow it: authorizeSource checks the policy's
// calls and its url, as for a processing source.
func (s *Server) fetchToTemp(r *http.Request, cr creds, u string, opts *storeOpts) (string, int64, []byte, string, error) {
	if err := s.authorizeSource(cr, u); err != nil {
		return "", 0, nil, "", err
	}
	res, err := s.fetch.get(r.Context(), u)
	if err != nil {
		return "", 0, nil, "", err
	}
	defer res.Body.Close()
	if opts.Filename == "" {
		opts.Filename = res.filename
	}
	if opts.Mimetype == "" {
		opts.Mimetype = res.mimetype
	}
	var body io.Reader = res.Body
	if opts.Base64 {
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	tmp, size, head, err := s.store.writeTemp(body, min(s.opts.MaxUploadSize, s.opts.FetchMaxSize))
	if errors.As(err, new(diskError)) {
		return "", 0, nil, "", err
	}
	if err != nil {
		return "", 0, nil, "", errorf(http.StatusBadRequest, "fetching %s: %v", redactURL(u), err)
	}
	return tmp, size, head, u, nil
}

func (s *Server) checkKey(key string) error {
	if key == "" {
		return errorf(http.StatusBadRequest, "Invalid Application: the key parameter (API key) is required")
	}
	if !s.keyAccepted(key) {
		return errorf(http.StatusUnauthorized, "Invalid Application: API key not recognised")
	}
	return nil
}

// handleFile serves /api/file/{handle} (GET, HEAD, DELETE, POST/PUT to
// overwrite) and /api/file/{handle}/metadata.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/api/file/")
	handle, sub, _ := strings.Cut(rest, "/")
	if !transform.ValidHandle(handle) || (sub != "" && sub != "metadata") {
		writeFileAPIError(w, errorf(http.StatusBadRequest, "invalid handle: expected 20 characters of A-Z, a-z, 0-9, _ or -"))
		return
	}
	if k := r.URL.Query().Get("key"); k != "" && !s.keyAccepted(k) {
		writeFileAPIError(w, errorf(http.StatusUnauthorized, "Invalid Application: API key not recognised"))
		return
	}
	switch {
	case sub == "metadata":
		s.serveMetadata(w, r, handle)
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		s.serveFile(w, r, handle, fileAPIErrors)
	case r.Method == http.MethodDelete:
		s.deleteFile(w, r, handle)
	case r.Method == http.MethodPost || r.Method == http.MethodPut:
		s.overwriteFile(w, r, handle)
	default:
		writeFileAPIError(w, errorf(http.StatusMethodNotAllowed, "method %s not allowed", r.Method))
	}
}

func (s *Server) deleteFile(w http.ResponseWriter, r *http.Request, handle string) {
	policy, sig, secretAuth := s.credentials(r)
	if !secretAuth {
		if err := s.authorize(policy, sig, true, access{call: "remove", handle: handle, size: -1}); err != nil {
			writeFileAPIError(w, err)
			return
		}
	}
	if err := s.store.remove(handle); err != nil {
		writeFileAPIError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, "success")
}

// overwriteFile replaces a file's content (POST or PUT /api/file/{handle}).
// A body that names a URL, in any shape receiveBody fetches, needs
// writeUrl and the policy's url; other bodies need write. The policy's
// maxSize and minSize are checked on the new content before it replaces
// the old.
func (s *Server) overwriteFile(w http.ResponseWriter, r *http.Request, handle string) {
	m, err := s.store.loadMeta(handle)
	if err != nil {
		writeFileAPIError(w, err)
		return
	}
	call := "write"
	if ct, _ := bodyType(r); urlBody(ct) {
		call = "writeUrl"
	}
	policy, sig, secretAuth := s.credentials(r)
	a := access{call: call, handle: handle, size: -1}
	if !secretAuth {
		if err := s.authorize(policy, sig, true, a); err != nil {
			writeFileAPIError(w, err)
			return
		}
	}
	q := r.URL.Query()
	opts := storeOpts{Filename: m.Filename, Mimetype: q.Get("mimetype"), Base64: q.Get("base64decode") == "true"}
	cr := creds{policy: policy, signature: sig, secret: secretAuth, calls: []string{call}}
	tmp, size, head, _, err := s.receiveBody(r, &opts, cr)
	if err != nil {
		writeFileAPIError(w, err)
		return
	}
	if !secretAuth {
		a.size = size
		if err := s.authorize(policy, sig, true, a); err != nil {
			os.Remove(tmp)
			writeFileAPIError(w, err)
			return
		}
	}
	m, err = s.store.replace(handle, tmp, size, head, opts.Mimetype)
	if err != nil {
		writeFileAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"url": s.cdnURL(r, handle), "mimetype": m.Mimetype,
		"isWriteable": true, "size": m.Size, "filename": m.Filename})
}
