// Package emulator is an offline, Filestack-compatible server: File API,
// Upload API (multipart and intelligent ingestion), presigned part PUTs and
// CDN/processing, told apart by path on one listener. Data lives on disk
// under Options.DataDir and survives restarts.
//
// It imports nothing of fsdeck outside filestack/; the hosting emulators
// beside it mount on its mux from internal/hosts.
package emulator

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"golang.org/x/sync/semaphore"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// Options configures a Server. The zero value of every limit means its default.
type Options struct {
	// DataDir holds files, upload sessions and the processing cache.
	DataDir string
	// APIKeys lists the keys the server accepts; at least one is required.
	APIKeys []string
	// AppSecret signs and verifies security policies.
	AppSecret string
	// SecurityRequired turns on "security for every request": uploads,
	// downloads, metadata and processing then need a policy too. Delete and
	// overwrite always need one, as on Filestack.
	SecurityRequired bool
	// PublicURL overrides the base URL used in responses (url, location_url,
	// part URLs); by default it is derived from each request's Host.
	PublicURL string
	// CNAME is the custom domain clients reach the server under, as
	// upload.<cname>, www.<cname>, process.<cname> and cdn.<cname>; file
	// URLs in answers then name cdn.<cname>, as Filestack's name its CDN.
	CNAME string
	// DisableIntelligent answers start without upload_type even when fii is asked.
	DisableIntelligent bool
	// SessionTTL is how long an unfinished multipart session is kept (24h).
	SessionTTL time.Duration
	// MaxUploadSize caps a stored file (default 5 GiB).
	MaxUploadSize int64
	// MinPartSize is S3's rule that every part but the last is at least 5 MiB.
	MinPartSize int64
	// MaxImagePixels and MaxProcessInput bound processing (100 MP, 256 MB).
	MaxImagePixels  int64
	MaxProcessInput int64
	// MaxRequestBody caps JSON and form bodies of API calls (1 MiB).
	MaxRequestBody int64
	// FetchTimeout and FetchMaxSize bound store-from-URL and external sources.
	FetchTimeout time.Duration
	FetchMaxSize int64
	// FetchPrivate lets store-from-URL and external sources reach
	// loopback, private and link-local addresses, refused by default so
	// a server others can reach cannot be used to read the network
	// behind it.
	FetchPrivate bool
	// Fsync makes every write durable against power loss (slower). Without
	// it writes are still atomic: a killed process never leaves half a file.
	Fsync bool
	// NoProcessCache recomputes every transformation (benchmarks, debugging).
	NoProcessCache bool
	// CompleteWait is how long complete waits for assembly before answering 202.
	CompleteWait time.Duration
	// BodyIdleTimeout cuts a request body that delivers nothing for this
	// long (30s). BodyMinRate is the average rate in bytes a second a body
	// must keep up after its first BodyIdleTimeout (1 KiB/s; negative: none),
	// so a client trickling a byte now and then cannot hold a connection.
	BodyIdleTimeout time.Duration
	BodyMinRate     int64
	// WriteIdleTimeout cuts a response the client takes nothing of for
	// this long (30s); WriteMinRate is the average rate in bytes a second
	// it must take it at after its first WriteIdleTimeout (1 KiB/s;
	// negative: none). So clients that ask for large files and never read
	// them cannot hold connections and handlers.
	WriteIdleTimeout time.Duration
	WriteMinRate     int64
	// ProcessTimeout limits one processing request (60s); past it the
	// answer is 504, as for a conversion that takes too long on Filestack.
	ProcessTimeout time.Duration
	// MemoryBudget bounds the memory of all processing in flight (512 MiB),
	// priced from each source's header before it is read; QueueWait is how
	// long a request waits for its share (or a CPU slot) before 503 (5s).
	MemoryBudget int64
	QueueWait    time.Duration
	// CacheSize bounds the processing cache on disk (1 GiB); the least
	// recently used results are deleted first.
	CacheSize int64
	// Faults injects failures for tests and for `fsdeck serve --fault`.
	Faults []Fault
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
}

func (o *Options) setDefaults() {
	def := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxUploadSize, 5<<30)
	def(&o.MinPartSize, 5<<20)
	def(&o.MaxImagePixels, 100_000_000)
	def(&o.MaxProcessInput, 256<<20)
	def(&o.MaxRequestBody, 1<<20)
	def(&o.FetchMaxSize, 256<<20)
	def(&o.MemoryBudget, 512<<20)
	def(&o.CacheSize, 1<<30)
	if o.BodyMinRate == 0 {
		o.BodyMinRate = 1 << 10
	}
	if o.WriteMinRate == 0 {
		o.WriteMinRate = 1 << 10
	}
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&o.BodyIdleTimeout, 30 * time.Second}, {&o.WriteIdleTimeout, 30 * time.Second}, {&o.ProcessTimeout, 60 * time.Second}, {&o.QueueWait, 5 * time.Second}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = 24 * time.Hour
	}
	if o.FetchTimeout <= 0 {
		o.FetchTimeout = 30 * time.Second
	}
	if o.CompleteWait <= 0 {
		o.CompleteWait = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// ServerName is sent in the Server header, so fsdeck can tell that a busy
// port is already held by one of its own servers.
const ServerName = "fsdeck-emulator"

// Server is the emulator's http.Handler.
type Server struct {
	opts     Options
	store    *diskStore
	sessions *sessionStore
	faults   *faultSet
	log      *requestLog
	fetch    *fetcher
	procSem  chan struct{}
	mem      *semaphore.Weighted
	cache    *cacheLRU
	dirLock  *flock.Flock
	tooLong  *apiError // the answer past ProcessTimeout

	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

var _ http.Handler = (*Server)(nil)

// New opens (or creates) the data directory and returns a ready server.
// Call Close to stop its background sweeper.
func New(opts Options) (*Server, error) {
	opts.setDefaults()
	if opts.DataDir == "" {
		return nil, errors.New("emulator: DataDir is required")
	}
	if len(opts.APIKeys) == 0 {
		return nil, errors.New("emulator: at least one API key is required")
	}
	ds, err := openDiskStore(opts.DataDir, opts.Now, opts.Fsync)
	if err != nil {
		return nil, err
	}
	lock, alone := claimDataDir(opts.DataDir)
	s := &Server{
		opts:     opts,
		store:    ds,
		sessions: newSessionStore(ds, opts.Now),
		faults:   newFaultSet(opts.Faults),
		log:      newRequestLog(10000),
		fetch:    newFetcher(opts.FetchTimeout, opts.FetchMaxSize, opts.FetchPrivate),
		procSem:  make(chan struct{}, max(1, runtime.NumCPU())),
		mem:      semaphore.NewWeighted(opts.MemoryBudget),
		cache:    newCacheLRU(opts.CacheSize),
		dirLock:  lock,
		stop:     make(chan struct{}),
	}
	ds.reclaim = s.reclaimSpace
	s.tooLong = errorf(http.StatusGatewayTimeout, "conversion was taking too long: the request exceeded the %s processing limit", opts.ProcessTimeout)
	s.loadCache(alone)
	s.sessions.sweep(opts.SessionTTL)
	s.wg.Add(1)
	go s.sweeper()
	return s, nil
}

// Close stops background work. It does not close listeners.
func (s *Server) Close() error {
	s.stopOnce.Do(func() { close(s.stop) })
	s.wg.Wait()
	s.sessions.wait()
	if s.dirLock != nil {
		s.dirLock.Unlock()
	}
	return nil
}

func (s *Server) sweeper() {
	defer s.wg.Done()
	every := s.opts.SessionTTL / 4
	if every > 10*time.Minute {
		every = 10 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.sessions.sweep(s.opts.SessionTTL)
			s.store.sweepTmp(time.Hour)
		}
	}
}

// Requests returns the request log, oldest first (bounded to the last 10,000).
func (s *Server) Requests() []Request { return s.log.snapshot() }

// ResetRequests clears the request log.
func (s *Server) ResetRequests() { s.log.reset() }

// APIKey returns the first accepted key.
func (s *Server) APIKey() string { return s.opts.APIKeys[0] }

// SecurityRequired reports whether every request needs a policy
// (Options.SecurityRequired); the hosting emulators mounted in front of
// the server follow it (builtin.MountWithin).
func (s *Server) SecurityRequired() bool { return s.opts.SecurityRequired }

// ServeHTTP routes by path: /api/..., /multipart/..., /s3/... (part PUTs),
// /process, and everything else as CDN/processing.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.opts.Now()
	ep := endpointOf(r)
	w.Header().Set("X-Request-Id", RandomToken(16))
	w.Header().Set("Server", ServerName)
	if !isGuarded(w) {
		g := newSendGuard(w, s.opts.WriteIdleTimeout, s.opts.WriteMinRate)
		defer g.finish()
		w = g
	}
	rec := &recorder{ResponseWriter: w, status: 200}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = newIdleBody(rec, r.Body, s.opts.BodyIdleTimeout, s.opts.BodyMinRate)
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				rec.dropped = true
				s.logRequest(r, ep, rec, start)
				panic(v)
			}
			s.opts.Logger.Error("panic in handler", "endpoint", ep, "panic", fmt.Sprint(v))
			if !rec.wrote {
				http.Error(rec, "internal error", http.StatusInternalServerError)
			}
		}
		s.logRequest(r, ep, rec, start)
	}()
	if s.faults.apply(ep, rec, r) {
		return
	}
	if bps := s.faults.throttle(ep); bps > 0 {
		s.route(ep, &slowWriter{ResponseWriter: rec, bps: bps, ctx: r.Context()}, r)
		return
	}
	s.route(ep, rec, r)
}

// logRequest records a finished request; a connection cut on purpose
// (fault injection) is logged as dropped, not as the 200 it never sent.
func (s *Server) logRequest(r *http.Request, ep string, rec *recorder, start time.Time) {
	s.log.add(Request{Time: start, Endpoint: ep, Method: r.Method, Path: s.redactPath(ep, r.URL.Path),
		Part: r.URL.Query().Get("partNumber"), Offset: r.URL.Query().Get("offset"), Size: r.URL.Query().Get("size"),
		Status: rec.loggedStatus(), Dropped: rec.dropped})
	var status any = rec.status
	if rec.dropped {
		status = "dropped"
	}
	attrs := []any{"method", r.Method, "endpoint", ep, "path", s.redactPath(ep, r.URL.Path), "status", status,
		"bytes", rec.bytes, "ms", time.Since(start).Milliseconds()}
	if rg := r.Header.Get("Range"); rg != "" {
		// Which requests continued a download is what resume tests read.
		attrs = append(attrs, "range", rg)
	}
	if rec.cause != nil {
		// In full, paths included: the answer had only publicText.
		attrs = append(attrs, "error", rec.cause.Error())
	}
	s.opts.Logger.Info("request", attrs...)
}

func (s *Server) route(ep string, w http.ResponseWriter, r *http.Request) {
	switch ep {
	case epStore:
		s.handleStore(w, r)
	case epFile, epFileMeta:
		if !strings.HasPrefix(r.URL.Path, "/api/file/") {
			s.handleCDN(w, r) // CDN form: /{handle}/metadata
			return
		}
		s.handleFile(w, r)
	case epStart, epUpload, epCommit, epComplete:
		if err := s.checkQueryKey(r); err != nil {
			s.writeUploadAPIError(w, err)
			return
		}
		s.handleMultipart(ep, w, r)
	case epPut:
		s.handlePartPut(w, r) // a presigned storage URL: signed, no API key
	case epProcess:
		if err := s.checkQueryKey(r); err != nil {
			writeTextError(w, err)
			return
		}
		s.handleProcessJSON(w, r)
	default:
		s.handleCDN(w, r)
	}
}

// Endpoint names used by fault injection and the request log.
const (
	epStore    = "store"
	epFile     = "file"
	epFileMeta = "metadata"
	epStart    = "start"
	epUpload   = "upload"
	epPut      = "put"
	epCommit   = "commit"
	epComplete = "complete"
	epProcess  = "process"
	epCDN      = "cdn"
)

func endpointOf(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/api/store/"):
		return epStore
	case strings.HasPrefix(p, "/api/file/") && strings.HasSuffix(p, "/metadata"):
		return epFileMeta
	case strings.HasPrefix(p, "/api/file/"):
		return epFile
	case p == "/multipart/start":
		return epStart
	case p == "/multipart/upload":
		return epUpload
	case p == "/multipart/commit":
		return epCommit
	case p == "/multipart/complete":
		return epComplete
	case strings.HasPrefix(p, "/s3/"):
		return epPut
	case p == "/process":
		return epProcess
	case strings.HasSuffix(p, "/metadata") && strings.Count(p, "/") == 2:
		return epFileMeta
	}
	return epCDN
}

// redactPath keeps API keys, policies and signatures, and credentials in
// external URLs, out of the request log. A key segment is redacted whether
// or not the server accepts it: a wrong key sent here by mistake may well
// be someone's real one.
func (s *Server) redactPath(ep, p string) string {
	for _, k := range s.opts.APIKeys {
		p = strings.ReplaceAll(p, k, "KEY")
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		switch {
		case strings.HasPrefix(seg, "security="):
			segs[i] = "security=REDACTED"
		case ep == epCDN && i == 1 && len(segs) > 2 && segs[2] != "metadata" && !transform.ValidHandle(seg) && transform.PlausibleAPIKey(seg):
			// /<APIKEY>/tasks…/source: the key segment of a processing URL
			// (API routes such as /s3/… have none there).
			segs[i] = "KEY"
		case afterScheme(segs[:i], "b64:"):
			// b64://BASE64URL: the URL is there, only encoded.
			segs[i] = redactEncoded(seg, true)
		case strings.Contains(seg, "@") && afterScheme(segs[:i], "http:", "https:"):
			// An external source "https://user:pass@host/…" splits into
			// "https:", "", "user:pass@host" (or, path cleaned, without "").
			segs[i] = "REDACTED@" + seg[strings.LastIndexByte(seg, '@')+1:]
		case strings.Contains(strings.ToLower(seg), "%3a"):
			// http%3A%2F%2F…: encoded twice on the wire, once here.
			segs[i] = redactEncoded(seg, false)
		}
	}
	return strings.Join(segs, "/")
}

// afterScheme reports whether the segments before a host segment end in
// one of schemes (and possibly the empty segment of "//"). The scheme
// may end a longer segment: in an array of sources, "[https:" or
// "[HANDLE,https:".
func afterScheme(before []string, schemes ...string) bool {
	if n := len(before); n > 0 && before[n-1] == "" {
		before = before[:n-1]
	}
	n := len(before)
	if n == 0 {
		return false
	}
	last := strings.ToLower(before[n-1])
	for _, sc := range schemes {
		if strings.HasSuffix(last, sc) {
			return true
		}
	}
	return false
}

// redactEncoded replaces the encoded external URLs of a segment (several
// in an array, comma-separated) that carry credentials, or that cannot be
// read, with REDACTED. With b64 the first one is base64 (b64://…), else
// they are percent-encoded.
func redactEncoded(seg string, b64 bool) string {
	parts := strings.Split(seg, ",")
	for j, part := range parts {
		inner := strings.Trim(part, `[]"`)
		raw, ok := "", false
		switch l := strings.ToLower(inner); {
		case b64 && j == 0:
			raw, ok = decodeBase64(inner)
		case strings.HasPrefix(l, "http%3a") || strings.HasPrefix(l, "https%3a"):
			u, err := url.PathUnescape(inner)
			raw, ok = u, err == nil
		default:
			continue
		}
		if u, err := url.Parse(raw); !ok || err != nil || u.User != nil {
			parts[j] = strings.Replace(part, inner, "REDACTED", 1)
		}
	}
	return strings.Join(parts, ",")
}

// decodeBase64 reads base64 in either alphabet, padded or not, as a
// b64:// source may be written.
func decodeBase64(s string) (string, bool) {
	s = strings.TrimRight(s, "=")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	return string(b), err == nil
}

// Request is one entry of the request log.
type Request struct {
	Time     time.Time
	Endpoint string
	Method   string
	Path     string
	Part     string
	Offset   string
	Size     string
	// Status is the status answered; 0 when the connection was dropped.
	Status  int
	Dropped bool
}

type requestLog struct {
	mu   sync.Mutex
	max  int
	reqs []Request
}

func newRequestLog(max int) *requestLog { return &requestLog{max: max} }

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) >= l.max {
		l.reqs = append(l.reqs[:0], l.reqs[len(l.reqs)-l.max/2:]...)
	}
	l.reqs = append(l.reqs, r)
}

func (l *requestLog) snapshot() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Request(nil), l.reqs...)
}

func (l *requestLog) reset() {
	l.mu.Lock()
	l.reqs = nil
	l.mu.Unlock()
}

// recorder notes the status for the request log and fault injection.
type recorder struct {
	http.ResponseWriter
	status  int
	bytes   int64
	wrote   bool
	dropped bool
	cause   error // behind an internal error answered (noteCause)
}

func (r *recorder) loggedStatus() int {
	if r.dropped {
		return 0
	}
	return r.status
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// ReadFrom keeps sendfile available for large responses: http.ServeContent
// copies with io.Copy, which only uses it when every wrapper passes it on.
func (r *recorder) ReadFrom(src io.Reader) (int64, error) {
	r.wrote = true
	n, err := io.Copy(r.ResponseWriter, src)
	r.bytes += n
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush lets streaming handlers flush through the recorder.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
