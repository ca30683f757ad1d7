package cli

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// targetConn is a target as the session resolved it: the client, its
// ledger scope and where it points. Every session has one: the root
// target (Filestack, the default) on the session's connection, or the one
// --to chose.
type targetConn struct {
	info     hosts.Info
	svc      hosts.Target
	scope    store.Scope
	endpoint string
	// local: pointed at its emulator in the local server (no key set).
	local bool
	// http is the client the target talks through; downloads from its
	// URLs use it too (nil: the target's own).
	http *http.Client
}

// caps are the target's abilities.
func (t *targetConn) caps() hosts.Capabilities { return t.svc.Capabilities() }

// targetNames lists every upload target, the root one (Filestack) first.
func targetNames(reg *hosts.Registry) []string { return reg.Targets() }

// defaultTarget reports whether --to names the root target (or none):
// the session's own connection, with its key, app secret and local mode,
// rather than a target of its own.
func defaultTarget(reg *hosts.Registry, name string) bool { return name == "" || name == reg.Root() }

// checkTarget refuses a name no target has, listing the valid ones.
func checkTarget(reg *hosts.Registry, name string) error {
	if _, ok := reg.Info(name); name == "" || ok {
		return nil
	}
	hint := ""
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") {
		// `get H --to ./dl` reads naturally but --to is the service.
		hint = "; --to names the service: a place on disk is -o PATH (get, transform)"
	}
	return usageError("unknown target %q: use one of %s%s", name, strings.Join(targetNames(reg), ", "), hint)
}

// hostKey reads a hosting target's key: its environment variable first,
// then the OS keyring.
func hostKey(sec *store.Secrets, name string) (string, error) {
	v, _, err := sec.Get(store.TargetSecret(name))
	return v, err
}

// localHost points a target at its emulator in the local server, which
// accepts the local server's API key for every service. Its HTTP client
// (also what downloads its files) puts the key on every request to the
// emulator in the service's own form, as an fsdeck serve
// --security-required that local mode shares wants it on file URLs too.
func localHost(reg *hosts.Registry, name string, ls *localServer) (*targetConn, error) {
	in, _ := reg.Info(name)
	base := in.LocalURL(ls.base)
	key := hosts.Key(ls.creds.APIKey)
	cfg := hosts.Config{BaseURL: base, Key: key, HTTP: in.LocalClient(ls.base, key)}
	if in.LoginHelp != "" {
		// The emulators take the local key as any account's password, so
		// what needs a login works offline too.
		cfg.Login = &hosts.Login{User: "local", Password: hosts.Key(ls.creds.APIKey)}
	}
	h, err := reg.New(name, cfg)
	if err != nil {
		return nil, err
	}
	// "local", not the URL: the port may change between runs.
	sc := store.Scope{Target: name, Endpoint: store.LocalEndpoint, KeyFP: store.Fingerprint(ls.creds.APIKey)}
	return &targetConn{info: in, svc: h, scope: sc, endpoint: base, local: true, http: cfg.HTTP}, nil
}

// remoteHost points a target at the real service with a key (and the
// account login, when the target takes one and it is set).
func remoteHost(reg *hosts.Registry, name, key string, login *hosts.Login) (*targetConn, error) {
	in, ok := reg.Info(name)
	if !ok {
		return nil, fmt.Errorf("unknown target %q", name)
	}
	hc := &http.Client{}
	h, err := reg.New(name, hosts.Config{Key: hosts.Key(key), Login: login, HTTP: hc})
	if err != nil {
		return nil, err
	}
	fp := store.Fingerprint(key)
	return &targetConn{info: in, svc: h, scope: store.Scope{Target: name, Endpoint: in.DefaultURL, KeyFP: fp},
		endpoint: in.Title + " (key " + fp[:8] + ")", http: hc}, nil
}

// openHost resolves one hosting target for the session: with a key (and
// not --local) the real service, else its emulator in the local server
// (started now when the session is on Filestack itself).
func (s *session) openHost(name string, forceLocal bool) (*targetConn, error) {
	reg := builtin.Registry()
	if !forceLocal {
		key, err := hostKey(s.secrets(), name)
		var nk *store.NoKeyringError
		if err != nil && !errors.As(err, &nk) {
			return nil, err
		}
		if key != "" {
			return remoteHost(reg, name, key, hostLogin(s.secrets(), reg, name))
		}
	}
	ls, err := s.localServer()
	if err != nil {
		return nil, err
	}
	return localHost(reg, name, ls)
}

// localServer is the session's local server, started on first use when
// the session is on Filestack itself (a hosting target without a key
// needs its emulator).
func (s *session) localServer() (*localServer, error) {
	if s.conn.local != nil {
		return s.conn.local, nil
	}
	ls, err := startLocal(s.paths.EmulatorDir(), or(s.addr, s.cfg.LocalAddr), s.busyFallback, allowPrivateURLs(s.getenv))
	if err != nil {
		return nil, fmt.Errorf("starting the local server for the hosting emulators: %w", err)
	}
	s.conn.local = ls
	s.local.Store(ls)
	prev := s.conn.close
	s.conn.close = func() { prev(); ls.stop() }
	return ls, nil
}

// rootUICaps are the abilities the interface has for the root target:
// its remote pane lists the ledger (the interface's contract for the
// root target, which it reaches through Deps.Remote).
func rootUICaps(c hosts.Capabilities) hosts.Capabilities {
	return hosts.Capabilities{Kind: c.Kind, Delete: c.Delete, List: true, Stat: c.Stat, DirectURL: c.DirectURL}
}

// targetConns are every upload target for the interface: the session's
// root target first, then each registered hosting target, resolved as
// openHost does. A target that cannot be set up is left out and problem
// says why, so the interface still opens on the others.
func (s *session) targetConns() (out []ui.TargetConn, problem string) {
	out = []ui.TargetConn{s.root.targetConn()}
	for _, name := range builtin.Registry().Mounted() {
		hc, err := s.openHost(name, s.forceLocal)
		if err != nil {
			if problem == "" {
				problem = name + " is unavailable: " + err.Error()
			}
			continue
		}
		out = append(out, hc.targetConn())
	}
	return out, problem
}

// targetConn is the interface's view of a target. The root target is the
// interface's own connection (Deps.Remote), so its TargetConn carries no
// Host and no client.
func (hc *targetConn) targetConn() ui.TargetConn {
	tc := ui.TargetConn{Name: hc.info.Name, Title: hc.info.Title, Host: hc.svc, Scope: hc.scope,
		Endpoint: hc.endpoint, Local: hc.local, Caps: hc.caps(), KeyHelp: hc.info.KeyHelp, HTTP: hc.http}
	if hc.info.Root {
		tc.Host, tc.HTTP, tc.Caps = nil, nil, rootUICaps(tc.Caps)
	}
	return tc
}

// connectTarget rebuilds a hosting target after the interface saved its
// key (an empty key points it back at its emulator).
func (s *session) connectTarget(name, key string) (ui.TargetConn, error) {
	reg := builtin.Registry()
	if err := checkTarget(reg, name); err != nil {
		return ui.TargetConn{}, err
	}
	if in, _ := reg.Info(name); in.Root {
		return ui.TargetConn{}, errors.New("the " + in.Title + " key is connected through Connect, not ConnectTarget")
	}
	var hc *targetConn
	var err error
	if key = strings.TrimSpace(key); key != "" && !s.forceLocal {
		hc, err = remoteHost(reg, name, key, hostLogin(s.secrets(), reg, name))
	} else {
		var ls *localServer
		if ls, err = s.localServer(); err == nil {
			hc, err = localHost(reg, name, ls)
		}
	}
	if err != nil {
		return ui.TargetConn{}, err
	}
	return hc.targetConn(), nil
}

// targetName is the session's target ("filestack" unless --to chose
// another).
func (s *session) targetName() string { return s.target.info.Name }

// scope is the ledger scope of the session's target.
func (s *session) scope() store.Scope { return s.target.scope }

// fileURL is an entry's main URL: the one the ledger keeps, or the one
// the target derives from the id (Filestack's CDN URL).
func (s *session) fileURL(e store.Entry) string {
	if d, ok := s.target.svc.(hosts.URLDeriver); ok && e.URL == "" && s.target.caps().DerivedURL {
		return d.URLOf(e.Handle)
	}
	return e.URL
}

// lacks refuses a command or flag the session's target has no power for
// (has is its capability).
func (s *session) lacks(has bool, what string) error {
	if has {
		return nil
	}
	return usageError("%s is Filestack-only; %s does not offer it (drop --to %s)", what, s.target.info.Title, s.target.info.Name)
}

// startTarget is the target the interface opens on: --to, else the one
// remembered in view.json, else the first (the root target, Filestack: a
// remembered name no longer registered falls back too).
func startTarget(flag, viewFile string, targets []ui.TargetConn) string {
	name := flag
	if name == "" {
		if v, ok, _ := store.LoadViewState(viewFile); ok {
			name = v.Target
		}
	}
	for _, t := range targets {
		if t.Name == name {
			return name
		}
	}
	if len(targets) == 0 {
		return ""
	}
	return targets[0].Name
}

// saveView writes the interface's view state, keeping the remembered
// target (the interface's view state does not carry it).
func saveView(path string, v store.ViewState) error {
	if old, ok, _ := store.LoadViewState(path); ok {
		v.Target = old.Target
	}
	return store.SaveViewState(path, v)
}

// saveTarget remembers the current target, keeping the rest of the view
// state.
func saveTarget(path, name string) error {
	v, _, _ := store.LoadViewState(path) // unreadable: start from the defaults
	v.Target = name
	return store.SaveViewState(path, v)
}

// targetTitle is the session's target as people name it.
func (s *session) targetTitle() string { return s.target.info.Title }

// hostLogin reads a target's account login (nil when the target takes
// none, or it is not set or cannot be read).
func hostLogin(sec *store.Secrets, reg *hosts.Registry, name string) *hosts.Login {
	if in, ok := reg.Info(name); !ok || in.LoginHelp == "" {
		return nil
	}
	user, _, uerr := sec.Get(store.TargetUser(name))
	pass, _, perr := sec.Get(store.TargetPassword(name))
	if uerr != nil || perr != nil || user == "" || pass == "" {
		return nil
	}
	return &hosts.Login{User: user, Password: hosts.Key(pass)}
}
