package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator/contentsec"
	"github.com/fsdeck/fsdeck/filestack/transform"
)

// result is what a processing chain produced: a file on disk (the source
// or a cached output) or an in-memory body (JSON answers, fresh outputs).
type result struct {
	file         *os.File
	body         []byte
	mimetype     string
	filename     string
	modtime      time.Time
	etag         string
	cacheControl string
	srcType      string
	srcSize      int64
	// release gives back the memory budget body holds (nil: none).
	release func()
}

func (res *result) close() {
	if res == nil {
		return
	}
	if res.file != nil {
		res.file.Close()
		res.file = nil
	}
	if res.release != nil {
		res.release()
		res.release = nil
	}
}

func (res *result) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", res.mimetype)
	contentsec.Headers(h, res.mimetype)
	if res.etag != "" {
		h.Set("ETag", res.etag)
	}
	if res.cacheControl != "" {
		h.Set("Cache-Control", res.cacheControl)
	}
	if res.filename != "" {
		h.Set("Content-Disposition", disposition(r.URL.Query().Get("dl") == "true", res.filename))
	}
	if res.file != nil {
		http.ServeContent(w, r, "", res.modtime, res.file)
		return
	}
	http.ServeContent(w, r, "", res.modtime, bytes.NewReader(res.body))
}

// runChain checks key, grammar, support and security, then computes the chain.
func (s *Server) runChain(r *http.Request, c transform.Chain) (*result, error) {
	if err := s.checkChainKey(c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, errorf(http.StatusBadRequest, "%v", err)
	}
	for _, t := range c.Tasks {
		if spec, _ := transform.Lookup(t.Name); !spec.IsImplemented() {
			return nil, errorf(http.StatusBadRequest, "the `%s` task (%s) is not implemented by the fsdeck emulator", t.Name, spec.Doc)
		}
	}
	cr := s.chainCreds(r, c)
	work := c.Without("security", "cache")
	if c.Debug {
		// A debug report describes the chain; it never stores a file.
		work = work.Until("store")
	}
	res, err := s.compute(r, work, cr)
	if err != nil {
		if fb, ok := work.Task("fallback"); ok && !isAuthError(err) {
			return s.sourceResult(r, cr, fb.String("handle", ""))
		}
		return nil, err
	}
	if ct, ok := c.Task("cache"); ok {
		res.cacheControl = cacheControl(ct)
	}
	return res, nil
}

// checkChainKey checks the key segment. A segment that is not an accepted
// key but reads like a mistyped task (`/monochrom/HANDLE`) is reported as
// an unknown task rather than a bad key. Storing, an external source and
// an array of sources need the key, as on Filestack, where these are only
// valid behind /<APIKEY>/.
func (s *Server) checkChainKey(c transform.Chain) error {
	if c.APIKey != "" && !s.keyAccepted(c.APIKey) {
		if !transform.PlausibleAPIKey(c.APIKey) {
			return errorf(http.StatusBadRequest, "%s", transform.UnknownTask("unknown", c.APIKey))
		}
		return errorf(http.StatusUnauthorized, "Invalid API key")
	}
	if c.APIKey == "" && hasTask(c, "store") {
		return errorf(http.StatusBadRequest, "an API key is required in the URL to store: /<APIKEY>/store=.../<source>")
	}
	if c.APIKey == "" && c.Source.Array {
		return errorf(http.StatusBadRequest, "an API key is required in the URL for several sources: /<APIKEY>/.../[h1,h2]")
	}
	if c.APIKey == "" && len(c.Source.Items) == 1 && transform.IsExternal(c.Source.Items[0]) {
		// As on Filestack: fetching someone else's URL is charged to a
		// key, so an anonymous request cannot use the server as a proxy.
		return errorf(http.StatusBadRequest, "an API key is required in the URL for an external source: /<APIKEY>/.../<url>")
	}
	return nil
}

func cacheControl(t transform.Task) string {
	if t.Has("false") {
		return "no-cache, no-store"
	}
	if t.String("expiry", "") == "max" {
		return "public, max-age=31536000"
	}
	return "public, max-age=" + t.String("expiry", "2592000")
}

// creds are the credentials a processing request carries: the security
// task, else ?policy=&signature=, or basic auth with the app secret; calls
// are the policy calls the chain needs on every file it reads.
type creds struct {
	policy, signature string
	secret            bool
	calls             []string
}

// chainCreds collects the credentials and the calls: convert for
// transformations, read for plain delivery, and store for the store task.
func (s *Server) chainCreds(r *http.Request, c transform.Chain) creds {
	var cr creds
	cr.policy, cr.signature, cr.secret = s.credentials(r)
	if sec, ok := c.Task("security"); ok {
		cr.policy, cr.signature = sec.String("policy", ""), sec.String("signature", "")
	}
	cr.calls = []string{"read"}
	if len(c.Without("security", "cache").Tasks) > 0 {
		cr.calls[0] = "convert"
	}
	if hasTask(c, "store") {
		cr.calls = append(cr.calls, "store")
	}
	return cr
}

// compute dispatches on what the chain does.
func (s *Server) compute(r *http.Request, c transform.Chain, cr creds) (*result, error) {
	if _, ok := c.Task("zip"); ok {
		r, cancel := s.processContext(r)
		defer cancel()
		t, err := s.admitZip(r, c.Source.Items)
		if err != nil {
			return nil, err
		}
		var res *result
		defer func() { t.settleFor(res) }() // also when zipSources panics
		if res, err = s.zipSources(r, cr, c.Source.Items, t); err != nil {
			res = nil
		}
		return res, err
	}
	if c.Source.Array {
		return nil, errorf(http.StatusBadRequest, "an array of sources needs a task that takes several files, such as zip")
	}
	src := c.Source.Items[0]
	if len(c.Tasks) == 0 {
		return s.sourceResult(r, cr, src)
	}
	cacheable := !transform.IsExternal(src) && !hasTask(c, "store") && !s.opts.NoProcessCache
	// Checked here as well as on opening, because a cached result is
	// served without opening the source or the files its tasks read.
	version, reads, err := s.authorizeReads(cr, src, c, cacheable)
	if err != nil {
		return nil, err
	}
	if _, ok := c.Task("metadata"); ok && len(c.Tasks) == 1 && !transform.IsExternal(src) {
		return s.metadataTaskResult(cr, src, c.Tasks[0])
	}
	key := ""
	if cacheable {
		key = s.cacheKey(src, version, reads, c, acceptsWebP(r))
		if res, ok := s.cacheGet(key); ok {
			return res, nil
		}
	}
	r, cancel := s.processContext(r)
	defer cancel()
	in, t, err := s.admit(r, c, cr, src)
	if err != nil {
		return nil, err
	}
	var res *result
	defer func() { t.settleFor(res) }() // also when the pipeline panics
	res, err = s.pipeline(r, in, c, cr, t.webp)
	if err != nil {
		res = nil // so the ticket is freed
		return nil, err
	}
	if key != "" && !c.Debug && res.body != nil && !strings.HasPrefix(res.mimetype, "application/json") {
		s.cachePut(key, res)
	}
	return res, nil
}

// chainReads lists the stored files, besides its source, whose content a
// chain's output is made of: watermark files. A fallback is not listed: it
// is read only when the chain fails, which a cached result never did, and
// that path checks it on its own (sourceResult). Names that are not
// handles are left out; the task refuses them before reading anything.
func chainReads(c transform.Chain) []string {
	var hs []string
	for _, t := range c.Tasks {
		if h := t.String("file", ""); t.Name == "watermark" && transform.ValidHandle(h) {
			hs = append(hs, h)
		}
	}
	return hs
}

// authorizeReads checks the credentials against the source and every file
// of chainReads, so a cached result is refused exactly when computing it
// would be. With versions (the source is a stored handle) it also returns
// the content versions for the cache key: the source's, and the others'
// handles and versions, so an overwritten one is never answered from the
// cache and a deleted one fails (errNotFound) as when computing.
func (s *Server) authorizeReads(cr creds, src string, c transform.Chain, versions bool) (int64, string, error) {
	reads := chainReads(c)
	for _, h := range append([]string{src}, reads...) {
		if err := s.authorizeSource(cr, h); err != nil {
			return 0, "", err
		}
	}
	if !versions {
		return 0, "", nil
	}
	// The data file's mtime and size identify its content version: an
	// overwrite renames a new file in, so it changes both.
	st, err := os.Stat(s.store.dataPath(src))
	if err != nil || !transform.ValidHandle(src) {
		return 0, "", errNotFound
	}
	var b strings.Builder
	for _, h := range reads {
		m, err := s.store.loadMeta(h)
		if err != nil {
			return 0, "", err
		}
		b.WriteString(h + "@" + hexVersion(m.Version) + "\x00")
	}
	return st.ModTime().UnixNano() ^ st.Size(), b.String(), nil
}

func hasTask(c transform.Chain, name string) bool {
	_, ok := c.Task(name)
	return ok
}

func acceptsWebP(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "image/webp")
}

// sourceResult delivers a handle or external URL unchanged, once the
// credentials allow it.
func (s *Server) sourceResult(r *http.Request, cr creds, src string) (*result, error) {
	if !transform.IsExternal(src) {
		if err := s.authorizeSource(cr, src); err != nil {
			return nil, err
		}
		f, m, err := s.store.open(src)
		if err != nil {
			return nil, err
		}
		return &result{file: f, mimetype: m.Mimetype, filename: m.Filename, modtime: time.UnixMilli(m.Uploaded),
			etag: etagOf(m), cacheControl: defaultCacheControl, srcType: m.Mimetype, srcSize: m.Size}, nil
	}
	if err := s.authorizeSource(cr, src); err != nil {
		return nil, err
	}
	// The fetched body is held until it is written: it counts against the
	// memory budget until then.
	in, rsv, err := s.fetchReserved(r, cr, src)
	if err != nil {
		return nil, err
	}
	return &result{body: in.data, mimetype: in.mimetype, filename: in.filename, modtime: s.opts.Now(),
		srcType: in.mimetype, srcSize: int64(len(in.data)), release: rsv.release}, nil
}

func hexVersion(v int64) string { return strconv.FormatInt(v, 16) }

// etagOf is the strong ETag of a stored file's current content.
func etagOf(m fileMeta) string { return `"` + hexVersion(m.Version) + `"` }

// input is a source loaded for processing.
type input struct {
	data     []byte
	mimetype string
	filename string
	handle   string
}

// openSource is how processing reads a file: the chain's source, a
// fallback, a watermark, zip's sources. It checks the credentials against
// that file first, so no task can read a file the policy does not cover.
func (s *Server) openSource(r *http.Request, cr creds, src string) (*input, error) {
	if err := s.authorizeSource(cr, src); err != nil {
		return nil, err
	}
	if transform.IsExternal(src) {
		return s.fetchSource(r, cr, src, nil)
	}
	f, m, err := s.store.open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if m.Size > s.opts.MaxProcessInput {
		return nil, errorf(http.StatusBadRequest, "file is larger than the %d-byte processing limit", s.opts.MaxProcessInput)
	}
	// Read at its known size: io.ReadAll would grow its buffer by
	// copying, holding up to twice the file.
	data := make([]byte, m.Size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	return &input{data: data, mimetype: m.Mimetype, filename: m.Filename, handle: src}, nil
}

// fetchSource reads an external source into memory. With a reservation
// (rsv), the memory is reserved as the bytes arrive (budgetReader), never
// more than a declared Content-Length allows, so a slow or small source
// holds little of the budget while it is fetched; without, the caller
// has priced the source already.
func (s *Server) fetchSource(r *http.Request, cr creds, src string, rsv *reservation) (*input, error) {
	if err := s.authorizeSource(cr, src); err != nil {
		return nil, err
	}
	res, err := s.fetch.get(r.Context(), src)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	tooLarge := errorf(http.StatusBadRequest, "source is larger than the %d-byte processing limit", s.opts.MaxProcessInput)
	var body io.Reader = res.Body
	if rsv != nil {
		br := &budgetReader{ctx: r.Context(), r: body, rsv: rsv, limit: s.opts.MaxProcessInput + 1, tooBig: tooLarge}
		if res.length >= 0 {
			// The transport ends the body at its Content-Length (and fails
			// if fewer bytes come), so the declared length is a true bound.
			br.limit = min(br.limit, res.length+1)
		}
		if br.limit > s.opts.MemoryBudget {
			br.limit, br.tooBig = s.opts.MemoryBudget, errorf(http.StatusBadRequest,
				"source is larger than the server's %d MiB processing memory budget", s.opts.MemoryBudget>>20)
		}
		body = br
	}
	data, err := io.ReadAll(io.LimitReader(body, s.opts.MaxProcessInput+1))
	if ae, ok := err.(*apiError); ok {
		return nil, ae // busy, stopped, or over a limit
	}
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "fetching %s: %v", redactURL(src), err)
	}
	if int64(len(data)) > s.opts.MaxProcessInput {
		return nil, tooLarge
	}
	return &input{data: data, mimetype: detectType(res.mimetype, res.filename, data), filename: res.filename}, nil
}

// metadataTaskResult answers the metadata task for a handle the
// credentials cover.
func (s *Server) metadataTaskResult(cr creds, handle string, t transform.Task) (*result, error) {
	if err := s.authorizeSource(cr, handle); err != nil {
		return nil, err
	}
	var want []string
	for _, p := range t.Params {
		if b, _ := p.Value.AsBool(); b {
			want = append(want, p.Key)
		}
	}
	if len(want) == 0 {
		want = cheapMetadata
	}
	out, err := s.metadata(handle, want)
	if err != nil {
		return nil, err
	}
	return jsonResult(out)
}

func jsonResult(v any) (*result, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &result{body: b, mimetype: "application/json", modtime: time.Now()}, nil
}
