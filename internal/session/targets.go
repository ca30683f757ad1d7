package session

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/store"
)

// Target is a target as the session resolved it: the client, its ledger
// scope and where it points. Every session has one: the root target
// (Filestack, the default) on the session's connection, or the one --to
// chose.
type Target struct {
	Info     hosts.Info
	Service  hosts.Target
	Scope    store.Scope
	Endpoint string
	// Local: pointed at its emulator in the local server (no key set).
	Local bool
	// HTTP is the client the target talks through; downloads from its
	// URLs use it too (nil: the target's own).
	HTTP *http.Client
}

// Caps are the target's abilities.
func (t *Target) Caps() hosts.Capabilities { return t.Service.Capabilities() }

// TargetNames lists every upload target, the root one (Filestack) first.
func TargetNames(reg *hosts.Registry) []string { return reg.Targets() }

// DefaultTarget reports whether --to names the root target (or none):
// the session's own connection, with its key, app secret and local mode,
// rather than a target of its own.
func DefaultTarget(reg *hosts.Registry, name string) bool { return name == "" || name == reg.Root() }

// CheckTarget refuses a name no target has, listing the valid ones.
func CheckTarget(reg *hosts.Registry, name string) error {
	if _, ok := reg.Info(name); name == "" || ok {
		return nil
	}
	hint := ""
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") {
		// `get H --to ./dl` reads naturally but --to is the service.
		hint = "; --to names the service: a place on disk is -o PATH (get, transform)"
	}
	return usageError("unknown target %q: use one of %s%s", name, strings.Join(TargetNames(reg), ", "), hint)
}

// hostKey reads a hosting target's key: its environment variable first,
// then the OS keyring.
func hostKey(sec *store.Secrets, name string) (string, error) {
	v, _, err := sec.Get(store.TargetSecret(name))
	return v, err
}

// LocalTarget points a target at its emulator in the local server, which
// accepts the local server's API key for every service. Its HTTP client
// (also what downloads its files) puts the key on every request to the
// emulator in the service's own form, as an fsdeck serve
// --security-required that local mode shares wants it on file URLs too.
func LocalTarget(reg *hosts.Registry, name string, ls *LocalServer) (*Target, error) {
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
	return &Target{Info: in, Service: h, Scope: sc, Endpoint: base, Local: true, HTTP: cfg.HTTP}, nil
}

// RemoteTarget points a target at the real service with a key (and the
// account login, when the target takes one and it is set).
func RemoteTarget(reg *hosts.Registry, name, key string, login *hosts.Login) (*Target, error) {
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
	return &Target{Info: in, Service: h, Scope: store.Scope{Target: name, Endpoint: in.DefaultURL, KeyFP: fp},
		Endpoint: in.Title + " (key " + fp[:8] + ")", HTTP: hc}, nil
}

// OpenTarget resolves one hosting target for the session: with a key
// (and not --local) the real service, else its emulator in the local
// server (started now when the session is on Filestack itself).
func (s *Session) OpenTarget(name string, forceLocal bool) (*Target, error) {
	reg := builtin.Registry()
	if !forceLocal {
		key, err := hostKey(s.Secrets(), name)
		var nk *store.NoKeyringError
		if err != nil && !errors.As(err, &nk) {
			return nil, err
		}
		if key != "" {
			login := hostLogin(s.Secrets(), reg, name)
			s.wire.secret(key)
			if login != nil {
				s.wire.secret(string(login.Password))
			}
			return s.logged(RemoteTarget(reg, name, key, login))
		}
	}
	ls, err := s.LocalServer()
	if err != nil {
		return nil, err
	}
	return s.logged(LocalTarget(reg, name, ls))
}

// logged makes t's client log its requests (--verbose), before it sends
// any.
func (s *Session) logged(t *Target, err error) (*Target, error) {
	if err == nil {
		s.wire.wrapClient(t.HTTP)
	}
	return t, err
}

// LocalServer is the session's local server, started on first use when
// the session is on Filestack itself (a hosting target without a key
// needs its emulator).
func (s *Session) LocalServer() (*LocalServer, error) {
	if s.Conn.Server != nil {
		return s.Conn.Server, nil
	}
	ls, err := StartLocal(s.Paths.EmulatorDir(), or(s.addr, s.Config.LocalAddr), s.busyFallback, AllowPrivateURLs(s.getenv))
	if err != nil {
		return nil, fmt.Errorf("starting the local server for the hosting emulators: %w", err)
	}
	s.wire.secret(ls.creds.APIKey, ls.creds.AppSecret)
	s.Conn.Server = ls
	s.local.Store(ls)
	prev := s.Conn.close
	s.Conn.close = func() { prev(); ls.stop() }
	return ls, nil
}

// Targets are every upload target for the interface: the session's root
// target first, then each registered hosting target, resolved as
// OpenTarget does. A target that cannot be set up is left out and
// problem says why, so the interface still opens on the others.
func (s *Session) Targets() (out []*Target, problem string) {
	out = []*Target{s.Root}
	for _, name := range builtin.Registry().Mounted() {
		t, err := s.OpenTarget(name, s.forceLocal)
		if err != nil {
			if problem == "" {
				problem = name + " is unavailable: " + err.Error()
			}
			continue
		}
		out = append(out, t)
	}
	return out, problem
}

// ConnectTarget rebuilds a hosting target after the interface saved its
// key (an empty key points it back at its emulator).
func (s *Session) ConnectTarget(name, key string) (*Target, error) {
	reg := builtin.Registry()
	if err := CheckTarget(reg, name); err != nil {
		return nil, err
	}
	if in, _ := reg.Info(name); in.Root {
		return nil, errors.New("the " + in.Title + " key is connected through Connect, not ConnectTarget")
	}
	if key = strings.TrimSpace(key); key != "" && !s.forceLocal {
		return RemoteTarget(reg, name, key, hostLogin(s.Secrets(), reg, name))
	}
	ls, err := s.LocalServer()
	if err != nil {
		return nil, err
	}
	return LocalTarget(reg, name, ls)
}

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

// Kind is a target of the kind name names ("" for the root one, Filestack)
// built on no account and no server, for what such a target can do and
// how it reads a reference to a file, known before a session connects:
// a command refuses a flag or an argument without starting anything.
// Building it makes no request.
func Kind(name string) (*Target, error) {
	reg := builtin.Registry()
	if err := CheckTarget(reg, name); err != nil {
		return nil, err
	}
	if name == "" {
		name = reg.Root()
	}
	in, _ := reg.Info(name)
	svc, err := reg.New(name, hosts.Config{BaseURL: in.LocalURL("http://127.0.0.1:0"), Key: "-"})
	if err != nil {
		return nil, err
	}
	return &Target{Info: in, Service: svc}, nil
}
