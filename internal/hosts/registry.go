package hosts

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
)

// Config is what every target is built from. BaseURL points at the real
// service or at its emulator (fsdeck serve, tests).
type Config struct {
	BaseURL string
	Key     Key
	HTTP    *http.Client // nil means a client with no overall timeout
	// MinInterval overrides the target's default spacing between
	// requests (tests shorten it; 0 keeps the default).
	MinInterval time.Duration
	// Login is an account's user name and password, for targets whose
	// API needs a session beside the key for some calls (Pastebin's
	// private pastes, delete and list); nil when none is set.
	Login *Login
	// Secret signs requests and URLs beside the key, for targets that
	// sign (Filestack's app secret); "" when none is set.
	Secret Key
}

// Login is an account's credentials; the password is a Key, so it never
// prints.
type Login struct {
	User     string
	Password Key
}

// Conn is a Config with a target's defaults applied: what every client
// holds to talk to its service.
type Conn struct {
	Base string // API base, no trailing slash
	HTTP *http.Client
	Pace *Pacer
}

// Resolve applies a target's defaults to cfg: the real service's base URL
// when none is set, a plain HTTP client, and the target's spacing between
// requests unless cfg overrides it.
func (cfg Config) Resolve(name, defaultURL string, interval time.Duration) (Conn, error) {
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = defaultURL
	}
	if _, err := url.Parse(base); err != nil {
		return Conn{}, fmt.Errorf("%s: bad base URL: %w", name, err)
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	if cfg.MinInterval != 0 {
		interval = cfg.MinInterval
	}
	return Conn{Base: base, HTTP: hc, Pace: NewPacer(interval)}, nil
}

// ResolveKeyed is Resolve for a target whose API wants a key: without one
// it is an authentication error saying which (keyName: "API key",
// "access token"), before anything is sent.
func (cfg Config) ResolveKeyed(name, keyName, defaultURL string, interval time.Duration) (Conn, error) {
	if cfg.Key == "" {
		return Conn{}, &Error{Target: name, Kind: KindAuth, Msg: "no " + keyName + " set"}
	}
	return cfg.Resolve(name, defaultURL, interval)
}

// Info describes a target kind for the registry: how to build it and what a
// user needs to know before configuring it.
type Info struct {
	Name       string
	Title      string // human name ("ImgBB")
	DefaultURL string // the real service's API base
	KeyHelp    string // where to get a key
	// LoginHelp says what an account login adds ("" when the target takes
	// no login); front ends offer to store one only then.
	LoginHelp string
	// APIPath is where the client's BaseURL points below the emulator's
	// mount ("/api" for DDownload, whose real base ends in /api; "" for
	// the rest). LocalURL applies it.
	APIPath string
	// Root: this target's emulator is the server itself, at its root
	// (the Filestack-compatible server fsdeck serve and local mode run),
	// and the others mount under /NAME/ beside it; it is the target a
	// session uses unless told otherwise. At most one target is Root.
	Root bool
	New  func(Config) (Target, error)
	// Emulator builds the offline stand-in, mounted under setup.Prefix,
	// accepting setup.Keys and storing within setup.Budget.
	Emulator func(setup EmulatorSetup) http.Handler
	// FetchAuth puts a key on a request in the service's own form (a
	// query parameter or header its API takes), for the emulator's
	// routes that need none on the real service (a file's bytes, its
	// page) but want the key under EmulatorSetup.KeyRequired. LocalClient
	// applies it; nil: the request is sent as it is.
	FetchAuth func(r *http.Request, key Key)
	// Hosts are the service's own hostnames and where each lands in the
	// emulator (HostRoute): fsdeck serve answers the service on them
	// beside its /NAME/ mount, and the replies to such requests carry
	// the service's own URLs. The first route for a path is the one
	// links are built on, so a more specific Path comes first.
	Hosts []HostRoute
}

// Registry maps names to target kinds. It is a value, not a global, so
// tests and front ends build the set they need.
type Registry struct {
	infos map[string]Info
	root  string
}

// NewRegistry returns a registry holding infos; it panics on a duplicate
// or incomplete entry as http.ServeMux.Handle does: that
// is a programming error any test building the registry catches, never a
// runtime input.
func NewRegistry(infos ...Info) *Registry {
	r := &Registry{infos: make(map[string]Info, len(infos))}
	for _, in := range infos {
		if in.Name == "" || in.New == nil {
			panic("hosts: incomplete Info for " + in.Title)
		}
		if _, dup := r.infos[in.Name]; dup {
			panic("hosts: duplicate target " + in.Name)
		}
		if in.Root && r.root != "" {
			panic("hosts: two root targets, " + r.root + " and " + in.Name)
		}
		if in.Root {
			r.root = in.Name
		}
		r.infos[in.Name] = in
	}
	return r
}

// Targets lists every registered target: the root one first (the
// default), then the others sorted.
func (r *Registry) Targets() []string {
	if r.root == "" {
		return r.Mounted()
	}
	return append([]string{r.root}, r.Mounted()...)
}

// Mounted lists, sorted, the targets whose emulators mount under /NAME/
// beside the root one: every target but the root.
func (r *Registry) Mounted() []string {
	out := make([]string, 0, len(r.infos))
	for n := range r.infos {
		if n != r.root {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Root is the root target's name ("" when none is registered).
func (r *Registry) Root() string { return r.root }

// Info returns a target kind's description.
func (r *Registry) Info(name string) (Info, bool) {
	in, ok := r.infos[name]
	return in, ok
}

// New builds a configured target; an empty BaseURL means the real service.
func (r *Registry) New(name string, cfg Config) (Target, error) {
	in, ok := r.infos[name]
	if !ok {
		return nil, fmt.Errorf("hosts: unknown target %q", name)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = in.DefaultURL
	}
	return in.New(cfg)
}

// LocalURL is the BaseURL that points this target at its emulator when
// the emulators are mounted under /NAME on server (e.g. by fsdeck serve);
// the root target's emulator is server itself.
func (in Info) LocalURL(server string) string {
	return strings.TrimRight(server, "/") + in.Mount() + in.APIPath
}

// Mount is the path the target's emulator is served under on a server:
// "/NAME", or "" for the root target (the server itself).
func (in Info) Mount() string {
	if in.Root {
		return ""
	}
	return "/" + in.Name
}

// LocalClient is the HTTP client for this target's emulator mounted on
// server: every download or page request (GET, HEAD) to the mount carries
// key in the service's own form (FetchAuth) unless it has it already, so a client in local mode also fetches files and
// pages from an fsdeck serve --security-required, which wants the key
// there too. Requests to anywhere else go out unchanged: the key never
// leaves for another host.
func (in Info) LocalClient(server string, key Key) *http.Client {
	return &http.Client{Transport: &keyTransport{base: http.DefaultTransport,
		mount: strings.TrimRight(server, "/") + in.Mount() + "/", key: key, auth: in.FetchAuth}}
}

// keyTransport adds a key to the requests under one mount.
type keyTransport struct {
	base  http.RoundTripper
	mount string
	key   Key
	auth  func(*http.Request, Key)
}

// RoundTrip implements http.RoundTripper on a copy of the request, as
// the interface asks.
func (t *keyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	u := *r.URL
	u.RawQuery, u.Fragment, u.User = "", "", nil
	// Only downloads and pages (GET, HEAD) get it: an API call carries
	// the key where the service's API wants it already (a form field,
	// a header), and a second copy would send the secret twice.
	fetch := r.Method == http.MethodGet || r.Method == http.MethodHead
	if t.auth != nil && t.key != "" && fetch && strings.HasPrefix(u.String(), t.mount) {
		r = r.Clone(r.Context())
		t.auth(r, t.key)
	}
	return t.base.RoundTrip(r)
}

// QueryKey is a FetchAuth that sets the query parameter name (ImgBB's
// key, DDownload's key, Pastebin's api_dev_key) unless the request
// carries one already.
func QueryKey(name string) func(*http.Request, Key) {
	return func(r *http.Request, key Key) {
		q := r.URL.Query()
		if q.Get(name) == "" {
			q.Set(name, key.Reveal())
			r.URL.RawQuery = q.Encode()
		}
	}
}

// BearerKey is a FetchAuth that sends the key as a Bearer token (Gyazo's
// access token, GoFile's account token) unless the request has an
// Authorization header already.
func BearerKey(r *http.Request, key Key) {
	if r.Header.Get("Authorization") == "" {
		r.Header.Set("Authorization", "Bearer "+key.Reveal())
	}
}

// RebaseLocal points a URL that target name's emulator handed out (its
// path under /NAME/, as the emulators mounted on a server build them
// from the request) at server instead, keeping the path, query and
// fragment byte for byte. Local mode's server may listen on another port
// in every run, so its URLs are rebuilt for the current one, as
// Filestack's CDN URLs are from the handle. Any other URL is returned as
// it is (text.RebaseURL).
func RebaseLocal(name, raw, server string) string {
	if name == "" {
		return raw
	}
	return text.RebaseURL(raw, "/"+name+"/", server)
}
