package pastebin

import (
	"crypto/rand"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// EmulatorOptions configures the offline Pastebin.
type EmulatorOptions struct {
	Prefix string   // mount path, e.g. "/pastebin"
	Keys   []string // accepted api_dev_key values
	// PastesPerDay caps new pastes per key in a rolling 24 h (0 means the
	// free-account FreePastesPerDay, < 0 no cap). The count is kept in
	// memory only, so it starts afresh when the server restarts.
	PastesPerDay int
	// Unlimited lifts the daily cap and the unlisted and private counts
	// (fsdeck serve --limits off); the paste size limit stays.
	Unlimited bool
	MaxSize   int // bytes of api_paste_code; 0 means MaxSize
	// Dir keeps the pastes, their owners and expiry and the logged-in
	// user keys (see hosts.Store); Quota is the disk quota shared with the
	// other mounted emulators (nil: one of its own); Memory bounds the
	// forms read in memory; Log gets what goes wrong with the stored
	// state.
	Dir    string
	Quota  *hosts.Quota
	Memory *hosts.Memory
	Log    *slog.Logger
	Fsync  bool // fsync stored bytes (see hosts.EmulatorSetup)
	Now    func() time.Time
	// Logins are the accounts api_login.php accepts (user → password).
	// Nil accepts any user name whose password is an accepted key, so
	// local mode can log in with the local server's key.
	Logins map[string]string
	// KeyRequired makes a paste's page and raw text want api_dev_key (in
	// the query) too, as the API does (fsdeck serve --security-required).
	KeyRequired bool
}

// Emulator is a Pastebin kept on disk: POST {prefix}/api/api_post.php
// (api_option=paste), GET {prefix}/raw/{id} (the text) and {prefix}/{id}
// (a page around it, the URL api_post.php answers) for public and unlisted
// pastes. Replies are plain text with HTTP 200, as api_post.php answers.
// Pastes (with their expiry) and user keys survive a restart.
type Emulator struct {
	opts   EmulatorOptions
	store  *hosts.Store
	mu     sync.Mutex
	pastes map[string]*paste
	posted map[string][]time.Time // per key, for the daily cap
	// sessions maps hosts.Owner(api_user_key) to its user.
	sessions map[string]string
}

// NewEmulator returns an emulator for opts, with what opts.Dir holds.
func NewEmulator(opts EmulatorOptions) *Emulator {
	if opts.PastesPerDay == 0 {
		opts.PastesPerDay = FreePastesPerDay
	}
	if opts.MaxSize <= 0 {
		opts.MaxSize = MaxSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Prefix = strings.TrimRight(opts.Prefix, "/")
	e := &Emulator{opts: opts, pastes: map[string]*paste{}, posted: map[string][]time.Time{}, sessions: map[string]string{},
		store: hosts.OpenStore(hosts.EmulatorSetup{Prefix: opts.Prefix, Dir: opts.Dir, Quota: opts.Quota, Log: opts.Log, Fsync: opts.Fsync})}
	e.load()
	return e
}

func reply(w http.ResponseWriter, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, s)
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, e.opts.Prefix)
	switch {
	case ok && p == "/api/api_post.php" && r.Method == http.MethodPost:
		e.post(w, r)
	case ok && p == "/api/api_login.php" && r.Method == http.MethodPost:
		e.login(w, r)
	case ok && p == "/api/api_raw.php" && r.Method == http.MethodPost:
		e.post(w, r)
	case ok && (p == "/api/api_post.php" || p == "/api/api_login.php" || p == "/api/api_raw.php"):
		reply(w, ErrUsePost)
	case ok && r.Method == http.MethodGet && e.opts.KeyRequired && !e.validKey(r.URL.Query().Get("api_dev_key")) &&
		(strings.HasPrefix(p, "/raw/") || len(p) > 1 && !strings.Contains(p[1:], "/")):
		// Pastebin's own words, but not its HTTP 200: a download must not
		// take this answer for the paste.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, ErrBadDevKey)
	case ok && strings.HasPrefix(p, "/raw/") && r.Method == http.MethodGet:
		e.raw(w, r, strings.TrimPrefix(p, "/raw/"))
	case ok && len(p) > 1 && !strings.Contains(p[1:], "/") && r.Method == http.MethodGet:
		e.page(w, r, p[1:])
	default:
		http.NotFound(w, r)
	}
}

func (e *Emulator) post(w http.ResponseWriter, r *http.Request) {
	// URL encoding can triple the text; anything bigger is over the limit.
	limit := int64(e.opts.MaxSize)*3 + 64<<10
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	release, ok := e.opts.Memory.Take(r.Context(), limit)
	defer release()
	if !ok {
		return
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		reply(w, ErrTooBig)
		return
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		reply(w, ErrEmpty)
		return
	}
	key := form.Get("api_dev_key")
	user, userOK := e.user(form.Get("api_user_key"))
	switch opt := form.Get("api_option"); {
	case !e.validKey(key):
		reply(w, ErrBadDevKey)
	case form.Get("api_user_key") != "" && !userOK, (opt == "list" || opt == "delete" || opt == "show_paste") && !userOK:
		reply(w, ErrBadUserKey)
	case opt == "show_paste" && strings.HasSuffix(r.URL.Path, "/api_raw.php"):
		e.show(w, user, form.Get("api_paste_key"))
	case strings.HasSuffix(r.URL.Path, "/api_raw.php"):
		reply(w, ErrBadOption)
	case opt == "paste":
		e.create(w, r, key, user, form)
	case opt == "list":
		e.list(w, r, user, form)
	case opt == "delete":
		e.remove(w, user, form.Get("api_paste_key"))
	default:
		reply(w, ErrBadOption)
	}
}

func (e *Emulator) validKey(k string) bool {
	for _, v := range e.opts.Keys {
		if k != "" && k == v {
			return true
		}
	}
	return false
}

// validate applies the documented field rules in api_post.php's order.
func (e *Emulator) validate(form url.Values, user string) (p *paste, text string, exp time.Duration, msg string) {
	text = form.Get("api_paste_code")
	if text == "" {
		return nil, "", 0, ErrEmpty
	}
	if len(text) > e.opts.MaxSize {
		return nil, "", 0, ErrTooBig
	}
	exp, ok := expiryOf(form.Get("api_paste_expire_date"))
	if !ok {
		return nil, "", 0, ErrBadExpire
	}
	priv := 0
	switch form.Get("api_paste_private") {
	case "", "0":
	case "1":
		priv = 1
	case "2":
		// Private pastes belong to a logged-in user (post checked the
		// api_user_key already).
		if user == "" {
			return nil, "", 0, ErrBadPrivate
		}
		priv = 2
	default:
		return nil, "", 0, ErrBadPrivate
	}
	if f := form.Get("api_paste_format"); f != "" && !validFormat(f) {
		return nil, "", 0, ErrBadFormat
	}
	return &paste{Name: form.Get("api_paste_name"), Private: priv, Format: form.Get("api_paste_format")}, text, exp, ""
}

// validFormat accepts syntax names shaped like Pastebin's (lower-case
// letters, digits, "_", "+", "-"); the real list has some 250 entries.
func validFormat(f string) bool {
	if len(f) > 32 {
		return false
	}
	for _, r := range f {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '+' || r == '-') {
			return false
		}
	}
	return true
}

func (e *Emulator) create(w http.ResponseWriter, r *http.Request, key, user string, form url.Values) {
	p, text, exp, msg := e.validate(form, user)
	if msg != "" {
		reply(w, msg)
		return
	}
	now := e.opts.Now()
	p.ID, p.Owner, p.User, p.Created, p.Size = newID(), hosts.Owner(key), user, now, int64(len(text))
	if exp > 0 {
		p.Expires = now.Add(exp)
	}
	pend, err := e.store.Receive(strings.NewReader(text), int64(e.opts.MaxSize))
	if err != nil {
		// Past the disk quota too: the size error is Pastebin's only
		// "does not fit" reply.
		reply(w, ErrTooBig)
		return
	}
	defer pend.Discard() // a no-op once kept
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sweep(now) {
		_ = e.save()
	}
	if msg := e.quota(key, p.Private, now); msg != "" {
		reply(w, msg)
		return
	}
	if err := pend.Keep(p.ID); err != nil {
		reply(w, errStore)
		return
	}
	e.pastes[p.ID] = p
	if err := e.save(); err != nil {
		delete(e.pastes, p.ID)
		e.store.Remove(p.ID, p.Size)
		reply(w, errStore)
		return
	}
	e.posted[key] = append(e.posted[key], now)
	reply(w, e.pasteURL(r, p.ID))
}

// errStore answers a paste the emulator could not write to disk; Pastebin
// documents no such reply, so the text is the emulator's own.
const errStore = "Bad API request, the fsdeck emulator could not store the paste"

// pasteURL is a paste's page on the host the client called (under the
// mount), or https://pastebin.com/ID when the request came in on
// pastebin.com (hosts.LinkFor).
func (e *Emulator) pasteURL(r *http.Request, id string) string {
	return hosts.LinkFor(r, e.opts.Prefix, "/"+id)
}

// quota applies the free-account limits; the caller holds e.mu.
func (e *Emulator) quota(key string, private int, now time.Time) string {
	kept := e.posted[key][:0]
	for _, t := range e.posted[key] {
		if now.Sub(t) < 24*time.Hour {
			kept = append(kept, t)
		}
	}
	e.posted[key] = kept
	if e.opts.Unlimited {
		return ""
	}
	if e.opts.PastesPerDay > 0 && len(kept) >= e.opts.PastesPerDay {
		return ErrDailyLimit
	}
	if private == 1 || private == 2 {
		n := 0
		for _, p := range e.pastes {
			if p.Owner == hosts.Owner(key) && p.Private == private {
				n++
			}
		}
		if private == 1 && n >= FreeUnlisted {
			return ErrMaxUnlisted
		}
		if private == 2 && n >= FreePrivate {
			return ErrMaxPrivate
		}
	}
	return ""
}

// shown is a paste anyone with its link may see (not private, not
// expired).
func (e *Emulator) shown(id string) (*paste, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sweep(e.opts.Now()) {
		_ = e.save()
	}
	p, ok := e.pastes[id]
	if !ok || p.Private == 2 {
		return nil, false
	}
	return p, true
}

func (e *Emulator) raw(w http.ResponseWriter, r *http.Request, id string) {
	if _, ok := e.shown(id); !ok {
		http.NotFound(w, r)
		return
	}
	e.hit(id)
	e.store.Serve(w, r, id, "text/plain; charset=utf-8")
}

// pageTmpl is the paste's page at its main URL, as a copied link opens it:
// the title, the text and a link to the raw text (html/template escapes
// both, and the page runs no script).
var pageTmpl = template.Must(template.New("paste").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}} - Pastebin (fsdeck local)</title></head>
<body><h1>{{.Title}}</h1>
<p><a href="{{.Raw}}">raw</a></p>
<pre>{{.Text}}</pre>
</body></html>
`))

// page serves a paste's main URL ({prefix}/{id}), which the real site
// shows as a web page around the text.
func (e *Emulator) page(w http.ResponseWriter, r *http.Request, id string) {
	p, ok := e.shown(id)
	var text []byte
	if ok {
		text, ok = e.text(id, p.Size)
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	e.hit(id)
	title := p.Name
	if title == "" {
		title = "Untitled"
	}
	raw := e.opts.Prefix + "/raw/" + id
	if hosts.OwnHost(r) {
		raw = "/raw/" + id // pastebin.com/raw/ID
	}
	if e.opts.KeyRequired {
		// The page was opened with the key; its raw link needs it too.
		raw += "?" + url.Values{"api_dev_key": {r.URL.Query().Get("api_dev_key")}}.Encode()
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	_ = pageTmpl.Execute(w, struct{ Title, Raw, Text string }{title, raw, string(text)})
}

// text reads a paste's text for its page (at most size bytes, which
// MaxSize bounds).
func (e *Emulator) text(id string, size int64) ([]byte, bool) {
	f, err := e.store.Open(id)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, size))
	return b, err == nil
}

// newID makes an 8-character key like Pastebin's.
func newID() string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
