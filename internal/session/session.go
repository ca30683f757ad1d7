package session

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync/atomic"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"
	"github.com/fsdeck/fsdeck/store"
)

// Options are what the command line says about the session: the flags
// every command that talks to a target shares with the interface.
type Options struct {
	// Local is --local: the built-in server even with a key set.
	Local bool
	// Addr is the local server's address (--addr; "" for
	// FSDECK_LOCAL_ADDR, else config.toml).
	Addr string
	// PartSize (bytes) overrides config.toml's part size when not 0.
	PartSize int64
	// Target is --to/--target: the upload target ("" = the registry's
	// root target, Filestack).
	Target string
	// BusyFallback lets local mode take a free port when its address is
	// held by something else (the interface, which says so); headless
	// commands refuse instead, as their URLs would die with them.
	BusyFallback bool
	// Store and Intelligent are the root target's storage options from
	// the command's flags (upload, store-url), over config.toml's.
	Store       filestack.StoreOptions
	Intelligent bool
	// HTTPLog, when set, gets a line for each request the session's
	// clients send (--verbose), and their headers with HTTPDebug
	// (--debug); credentials are redacted (see wireLog).
	HTTPLog   io.Writer
	HTTPDebug bool
	// Attempts bounds the tries of each request of the root target's
	// client (--retries N is N+1 attempts); 0 keeps the client's default.
	Attempts int

	wire *wireLog
}

// Session is what the interface and every headless command start from:
// the data and config directories, the config, the connection (Filestack
// or local mode, chosen the same way for both), the ledger and the
// target.
type Session struct {
	Paths  store.Paths
	Config store.Config
	// Warns are config.toml's problems (its defaults were used).
	Warns  []string
	Conn   *Connection
	Ledger *store.Ledger
	// FirstRun is set when the ledger did not exist before this run.
	FirstRun bool
	// Root is the registry's root target (Filestack) on the connection;
	// Target is the session's target: Root, or the one --to chose.
	Root, Target *Target

	// unlock releases the shared ledger lock (see store.ShareLedger).
	unlock func()
	// addr is the local server's address from --addr or the environment
	// ("" leaves it to config.toml); forceLocal is --local.
	addr       string
	forceLocal bool
	// busyFallback is Options.BusyFallback, for a local server started
	// later (see LocalServer).
	busyFallback bool
	// local is Conn.Server for other goroutines (the ledger's readers).
	local atomic.Pointer[LocalServer]
	// getenv is the environment the session was opened in (keys, the
	// session bus, FSDECK_ALLOW_PRIVATE_URLS).
	getenv func(string) string
	// wire is the request log (nil without --verbose).
	wire *wireLog
}

// Getenv reads the environment the session was opened in.
func (s *Session) Getenv(key string) string { return s.getenv(key) }

// Secrets are the keys in the session's environment and the OS keyring.
func (s *Session) Secrets() *store.Secrets { return store.NewSecretsEnv(s.getenv) }

// LocalBase is the local server's base URL, "" while none runs: local
// mode's hosting-target URLs in the ledger are rebuilt for it.
func (s *Session) LocalBase() string {
	if ls := s.local.Load(); ls != nil {
		return ls.base
	}
	return ""
}

// Open connects as the interface does: a key in the environment or
// keyring means Filestack, else the built-in server at the configured
// address (started in-process, or shared with a running `fsdeck serve` of
// the same data directory). A damaged ledger is refused: a command prints
// what it read, and from a damaged ledger that may be nothing at all,
// which would look like an empty ledger.
func Open(getenv func(string) string, paths store.Paths, o Options) (*Session, error) {
	s, err := OpenDamaged(getenv, paths, o)
	if err != nil {
		return nil, err
	}
	if d := s.Ledger.Damaged(); d != nil {
		s.Close()
		return nil, fmt.Errorf("the ledger %s is damaged (%v), so nothing was done: run `fsdeck doctor` to back it up and rebuild it, then run this command again", d.Path, d.Err)
	}
	return s, nil
}

// OpenDamaged is Open that also opens a damaged ledger (read-only), for
// the interface, which says so and stays usable.
func OpenDamaged(getenv func(string) string, paths store.Paths, o Options) (*Session, error) {
	// An unknown target is a usage error: nothing is made for it.
	if err := CheckTarget(builtin.Registry(), o.Target); err != nil {
		return nil, err
	}
	if err := paths.Ensure(); err != nil {
		return nil, fmt.Errorf("creating %s: %w", paths.Data, err)
	}
	var err error
	if o.Addr, err = ChosenAddr(getenv, o.Addr); err != nil {
		return nil, err
	}
	addr := o.Addr
	o.wire = newWireLog(o.HTTPLog, o.HTTPDebug)
	cfg, warns := store.LoadConfig(paths.ConfigFile())
	if o.Addr == "" {
		o.Addr = cfg.LocalAddr // checked when config.toml was read
	}
	unlock, err := store.ShareLedger(paths, 5*time.Second)
	if errors.Is(err, store.ErrLedgerBusy) {
		return nil, fmt.Errorf("fsdeck doctor is rebuilding the ledger in %s; run fsdeck again when it has finished", paths.Data)
	}
	if err != nil {
		return nil, err
	}
	conn, err := Connect(getenv, paths, cfg, o)
	if err != nil {
		unlock()
		return nil, err
	}
	// A ledger is new only when missing; an empty or unreadable file is
	// damage, which Open reports (read-only) rather than reuses.
	_, statErr := os.Stat(paths.LedgerPath())
	ledger, err := store.Open(paths.LedgerPath())
	if err != nil {
		conn.Close()
		unlock()
		return nil, err
	}
	s := &Session{Paths: paths, Config: cfg, Warns: warns, Conn: conn, Ledger: ledger, unlock: unlock, addr: addr, forceLocal: o.Local,
		busyFallback: o.BusyFallback, getenv: getenv, wire: o.wire, FirstRun: errors.Is(statErr, fs.ErrNotExist)}
	s.local.Store(conn.Server)
	ledger.SetLocalBase(s.LocalBase)
	s.Root = s.rootTarget(o)
	s.Target = s.Root
	if !DefaultTarget(builtin.Registry(), o.Target) {
		if s.Target, err = s.OpenTarget(o.Target, o.Local); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// rootTarget is the registry's root target (Filestack) on the session's
// connection, storing as config.toml and the command's flags say.
func (s *Session) rootTarget(o Options) *Target {
	reg := builtin.Registry()
	in, _ := reg.Info(reg.Root())
	svc := fstarget.New(s.Conn.Client, fstarget.Options{Store: s.StoreOptions(o), Intelligent: o.Intelligent || s.Config.Intelligent})
	return &Target{Info: in, Service: svc, Scope: s.Conn.Scope, Endpoint: s.Conn.Endpoint, Local: s.Conn.Local}
}

// StoreOptions are the root target's storage options: the command's
// flags (o.Store) over config.toml's.
func (s *Session) StoreOptions(o Options) filestack.StoreOptions {
	cs := s.Config.Store
	return filestack.StoreOptions{Location: or(o.Store.Location, cs.Location), Path: or(o.Store.Path, cs.Path),
		Container: or(o.Store.Container, cs.Container), Region: or(o.Store.Region, cs.Region), Access: or(o.Store.Access, cs.Access)}
}

// Close closes the ledger and the connection (stopping local mode's
// server).
func (s *Session) Close() {
	s.Ledger.Close()
	s.Conn.Close()
	s.unlock()
}
