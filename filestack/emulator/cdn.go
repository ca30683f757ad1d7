package emulator

import (
	"fmt"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator/contentsec"
	"github.com/fsdeck/fsdeck/filestack/transform"
)

// errorStyle picks how a shared handler reports errors: the File API and
// the CDN word the same failure differently.
type errorStyle func(http.ResponseWriter, error)

var (
	fileAPIErrors errorStyle = writeFileAPIError
	cdnErrors     errorStyle = writeTextError
)

// baseURL is the scheme and host clients reach this server at.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return strings.TrimRight(s.opts.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" || strings.ContainsAny(host, "/\\ \"'<>@") {
		host = "localhost"
	}
	return scheme + "://" + host
}

// cdnURL is the URL answers give for a stored file.
func (s *Server) cdnURL(r *http.Request, handle string) string {
	return s.cdnBase(r) + "/" + handle
}

// cdnBase is the CDN origin of the domain the client called. Filestack
// names https://cdn.filestackcontent.com/<handle> in answers from its
// upload, www and process hosts alike, and an SDK given a custom domain
// reads files from cdn.<cname>. One listener serves every host here, so
// only the host name changes; a configured PublicURL is used as it is.
func (s *Server) cdnBase(r *http.Request) string {
	base := s.baseURL(r)
	if s.opts.PublicURL != "" {
		return base
	}
	scheme, hostport, _ := strings.Cut(base, "://")
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, ""
	}
	host = s.cdnHost(host)
	if port != "" {
		host = net.JoinHostPort(host, port)
	}
	return scheme + "://" + host
}

// cdnHost maps a host of the custom domain or of Filestack's domains to
// that domain's CDN host; other hosts (an address, localhost) are the CDN.
func (s *Server) cdnHost(host string) string {
	h := strings.ToLower(host)
	cname := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(s.opts.CNAME, "https://"), "http://"))
	cname = strings.Trim(cname, "/.")
	switch {
	case cname != "" && strings.HasSuffix(h, "."+cname):
		return "cdn." + cname
	case strings.HasSuffix(h, ".filestackapi.com") || strings.HasSuffix(h, ".filestackcontent.com"):
		return "cdn.filestackcontent.com"
	}
	return host
}

// defaultCacheControl mirrors Filestack's 30-day CDN caching.
const defaultCacheControl = "public, max-age=2592000"

// serveFile streams a stored file with Content-Type, Content-Length,
// Content-Disposition, ETag and Last-Modified, and the headers that keep
// an HTML, SVG or script file from running as a page of this origin
// (contentsec); http.ServeContent does Range, If-None-Match and
// If-Modified-Since (and sendfile).
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, handle string, fail errorStyle) {
	policy, sig, secretAuth := s.credentials(r)
	if !secretAuth {
		if err := s.authorize(policy, sig, s.opts.SecurityRequired, access{call: "read", handle: handle, size: -1}); err != nil {
			fail(w, err)
			return
		}
	}
	f, m, err := s.store.open(handle)
	if err != nil {
		fail(w, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", m.Mimetype)
	contentsec.Headers(h, m.Mimetype)
	h.Set("Content-Disposition", disposition(r.URL.Query().Get("dl") == "true", m.Filename))
	h.Set("ETag", etagOf(m))
	h.Set("X-File-Name", asciiHeader(m.Filename))
	h.Set("Cache-Control", defaultCacheControl)
	h.Set("Accept-Ranges", "bytes")
	http.ServeContent(w, r, "", time.UnixMilli(m.Uploaded).UTC(), f)
}

// disposition builds Content-Disposition with a safely encoded filename
// (RFC 2231 for non-ASCII, control characters dropped).
func disposition(attachment bool, filename string) string {
	kind := "inline"
	if attachment {
		kind = "attachment"
	}
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, filename)
	if v := mime.FormatMediaType(kind, map[string]string{"filename": clean}); v != "" {
		return v
	}
	return kind
}

// asciiHeader keeps only printable ASCII, for headers that cannot be encoded.
func asciiHeader(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '_'
		}
		return r
	}, s)
}

// metadataFields are the flags the metadata call understands; the cheap
// set is what it answers when no flag is given.
var (
	metadataFields = []string{"size", "mimetype", "filename", "width", "height", "uploaded", "writeable",
		"cloud", "source_url", "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "location", "path",
		"container", "exif"}
	cheapMetadata = []string{"size", "mimetype", "filename", "uploaded", "writeable", "location", "path", "container"}
)

func (s *Server) serveMetadata(w http.ResponseWriter, r *http.Request, handle string) {
	q := r.URL.Query()
	var want []string
	for _, f := range metadataFields {
		if q.Get(f) == "true" {
			want = append(want, f)
		}
	}
	if len(want) == 0 {
		want = cheapMetadata
	}
	policy, sig, secretAuth := s.credentials(r)
	if !secretAuth {
		if err := s.authorize(policy, sig, s.opts.SecurityRequired, access{call: "stat", handle: handle, size: -1}); err != nil {
			writeFileAPIError(w, err)
			return
		}
		if q.Get("exif") == "true" {
			if err := s.authorize(policy, sig, true, access{call: "exif", handle: handle, size: -1}); err != nil {
				writeFileAPIError(w, err)
				return
			}
		}
	}
	out, err := s.metadata(handle, want)
	if err != nil {
		writeFileAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// metadata computes the requested fields, reading hashes and image size
// from the file only when asked and only once.
func (s *Server) metadata(handle string, want []string) (map[string]any, error) {
	var hashes []string
	dims := false
	for _, f := range want {
		switch f {
		case "md5", "sha1", "sha224", "sha256", "sha384", "sha512":
			hashes = append(hashes, f)
		case "width", "height":
			dims = true
		case "exif":
			if _, err := s.store.loadMeta(handle); err != nil {
				return nil, err
			}
			return nil, errorf(http.StatusBadRequest, "exif metadata is not implemented by the fsdeck emulator")
		}
	}
	// Each step returns the meta it read, so the file is read once per step.
	var m fileMeta
	var err error
	switch {
	case len(hashes) > 0:
		m, err = s.store.ensureHashes(handle, hashes)
	case !dims:
		m, err = s.store.loadMeta(handle)
	}
	if err == nil && dims {
		m, err = s.store.ensureDims(handle)
	}
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, f := range want {
		out[f] = metaField(m, f)
	}
	return out, nil
}

func metaField(m fileMeta, f string) any {
	switch f {
	case "size":
		return m.Size
	case "mimetype":
		return m.Mimetype
	case "filename":
		return m.Filename
	case "uploaded":
		return m.Uploaded
	case "writeable":
		return true
	case "cloud":
		return false
	case "source_url":
		if m.SourceURL == "" {
			return nil
		}
		return m.SourceURL
	case "location":
		return m.Location
	case "path":
		return m.Key
	case "container":
		if m.Container == "" {
			return nil
		}
		return m.Container
	case "width", "height":
		if m.Dims == nil {
			return nil
		}
		if f == "width" {
			return m.Dims[0]
		}
		return m.Dims[1]
	}
	return m.Hashes[f]
}

// handleCDN serves GET /{handle}, /{handle}/metadata and processing URLs.
func (s *Server) handleCDN(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		writeTextError(w, errorf(http.StatusMethodNotAllowed, "method %s not allowed", r.Method))
		return
	}
	p := r.URL.Path
	if p == "/" || p == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "fsdeck Filestack emulator: POST /api/store/S3?key=..., GET /{handle}")
		return
	}
	if h, sub, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/"); sub == "metadata" && transform.ValidHandle(h) {
		if err := s.checkQueryKey(r); err != nil {
			writeFileAPIError(w, err)
			return
		}
		s.serveMetadata(w, r, h)
		return
	}
	c, err := transform.Parse(p)
	if err != nil {
		writeTextError(w, errorf(http.StatusBadRequest, "%v", err))
		return
	}
	if len(c.Source.Items) == 1 && transform.IsExternal(c.Source.Items[0]) {
		// The query string belongs to the external URL, not to this request.
		if r.URL.RawQuery != "" {
			c.Source.Items[0] += "?" + r.URL.RawQuery
		}
	} else if err := s.checkQueryKey(r); err != nil {
		writeTextError(w, err)
		return
	}
	if c.APIKey == "" && !c.Debug && len(c.Tasks) == 0 && !c.Source.Array && !transform.IsExternal(c.Source.Items[0]) {
		if !transform.ValidHandle(c.Source.Items[0]) {
			writeTextError(w, errorf(http.StatusBadRequest, "invalid handle %q", c.Source.Items[0]))
			return
		}
		s.serveFile(w, r, c.Source.Items[0], cdnErrors)
		return
	}
	s.serveProcessing(w, r, c)
}

// serveProcessing runs a chain and writes its result, or its debug report.
func (s *Server) serveProcessing(w http.ResponseWriter, r *http.Request, c transform.Chain) {
	start := s.opts.Now()
	res, err := s.runChain(r, c)
	if c.Debug {
		writeJSON(w, http.StatusOK, s.debugReport(r, c, res, err, start))
		return
	}
	if err != nil {
		writeTextError(w, err)
		return
	}
	defer res.close()
	res.write(w, r)
}

func (s *Server) debugReport(r *http.Request, c transform.Chain, res *result, err error, start time.Time) map[string]any {
	status := map[string]any{"message": "OK", "http_code": 200}
	if err != nil {
		ae := asAPIError(err)
		status = map[string]any{"message": ae.msg, "http_code": ae.status}
	}
	chain := make([]map[string]any, 0, len(c.Tasks))
	for _, t := range c.Without("security").Tasks {
		params := map[string]any{}
		for _, p := range t.Params {
			params[p.Key] = p.Value.String()
		}
		chain = append(chain, map[string]any{"name": t.Name, "params": params})
	}
	src := map[string]any{"url": strings.Join(c.Source.Items, ",")}
	if res != nil {
		src["mimetype"], src["size"] = res.srcType, res.srcSize
		res.close()
	}
	return map[string]any{"apikey": c.APIKey, "status": status, "start_time": start.UTC().Format(time.RFC3339),
		"processing_time": s.opts.Now().Sub(start).Milliseconds(), "source": src,
		"task_uri": c.Without("security").Format(), "debug": true, "chain": chain}
}
