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

// filestackName names Filestack among the upload targets; its ledger rows
// have the empty store.Scope.Target.
const filestackName = "filestack"

// hostConn is a hosting target (not Filestack) as the session resolved
// it: the client, its ledger scope and where it points.
type hostConn struct {
	info     hosts.Info
	host     hosts.Target
	scope    store.Scope
	endpoint string
	// local: pointed at its emulator in the local server (no key set).
	local bool
	// http is the client the target talks through; downloads from its
	// URLs use it too.
	http *http.Client
}

// targetNames lists every upload target, Filestack first.
func targetNames(reg *hosts.Registry) []string {
	return append([]string{filestackName}, reg.Mounted()...)
}

// checkTarget refuses a name no target has, listing the valid ones.
func checkTarget(reg *hosts.Registry, name string) error {
	if name == "" || name == filestackName {
		return nil
	}
	if _, ok := reg.Info(name); ok {
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
func localHost(reg *hosts.Registry, name string, ls *localServer) (*hostConn, error) {
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
	return &hostConn{info: in, host: h, scope: sc, endpoint: base, local: true, http: cfg.HTTP}, nil
}

// remoteHost points a target at the real service with a key (and the
// account login, when the target takes one and it is set).
func remoteHost(reg *hosts.Registry, name, key string, login *hosts.Login) (*hostConn, error) {
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
	return &hostConn{info: in, host: h, scope: store.Scope{Target: name, Endpoint: in.DefaultURL, KeyFP: fp},
		endpoint: in.Title + " (key " + fp[:8] + ")", http: hc}, nil
}

// openHost resolves one hosting target for the session: with a key (and
// not --local) the real service, else its emulator in the local server
// (started now when the session is on Filestack itself).
func (s *session) openHost(name string, forceLocal bool) (*hostConn, error) {
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

// filestackCaps are Filestack's abilities for the target switcher.
var filestackCaps = hosts.Capabilities{Kind: hosts.AnyFile, Delete: true, List: true, Stat: true, DirectURL: true}

// targetConns are every upload target for the interface: Filestack first,
// then each registered hosting target, resolved as openHost does. A
// target that cannot be set up is left out and problem says why, so the
// interface still opens on the others.
func (s *session) targetConns() (out []ui.TargetConn, problem string) {
	out = []ui.TargetConn{{Name: filestackName, Title: "Filestack", Scope: s.conn.scope, Endpoint: s.conn.endpoint,
		Local: s.conn.mode == ui.ModeLocal, Caps: filestackCaps,
		KeyHelp: "the API key of your Filestack app (https://dev.filestack.com)"}}
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

// targetConn is the interface's view of a hosting target.
func (hc *hostConn) targetConn() ui.TargetConn {
	return ui.TargetConn{Name: hc.info.Name, Title: hc.info.Title, Host: hc.host, Scope: hc.scope,
		Endpoint: hc.endpoint, Local: hc.local, Caps: hc.host.Capabilities(), KeyHelp: hc.info.KeyHelp, HTTP: hc.http}
}

// connectTarget rebuilds a hosting target after the interface saved its
// key (an empty key points it back at its emulator).
func (s *session) connectTarget(name, key string) (ui.TargetConn, error) {
	reg := builtin.Registry()
	if name == filestackName {
		return ui.TargetConn{}, errors.New("the Filestack key is connected through Connect, not ConnectTarget")
	}
	if err := checkTarget(reg, name); err != nil {
		return ui.TargetConn{}, err
	}
	var hc *hostConn
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
func (s *session) targetName() string {
	if s.host != nil {
		return s.host.info.Name
	}
	return filestackName
}

// scope is the ledger scope of the session's target.
func (s *session) scope() store.Scope {
	if s.host != nil {
		return s.host.scope
	}
	return s.conn.scope
}

// fileURL is an entry's main URL: the service's, or Filestack's CDN URL.
func (s *session) fileURL(e store.Entry) string {
	if s.host != nil || e.URL != "" {
		return e.URL
	}
	return s.conn.client.CDNURL(e.Handle)
}

// filestackOnly refuses a command or flag on another target.
func (s *session) filestackOnly(what string) error {
	if s.host == nil {
		return nil
	}
	return usageError("%s is Filestack-only; %s does not offer it (drop --to %s)", what, s.host.info.Title, s.host.info.Name)
}

// startTarget is the target the interface opens on: --to, else the one
// remembered in view.json, else Filestack (a remembered name no longer
// registered falls back too).
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
	return filestackName
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
func (s *session) targetTitle() string {
	if s.host != nil {
		return s.host.info.Title
	}
	return "Filestack"
}

// isHostTarget reports whether --to names a hosting target (checked
// against the registry when the session opens).
func isHostTarget(name string) bool { return name != "" && name != filestackName }

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
