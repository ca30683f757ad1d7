package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync/atomic"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// session is what the interface and every headless command start from:
// the data and config directories, the config, the connection (Filestack
// or local mode, chosen the same way for both) and the ledger.
type session struct {
	paths  store.Paths
	cfg    store.Config
	warns  []string
	conn   *connection
	ledger *store.Ledger
	// firstRun is set when the ledger did not exist before this run.
	firstRun bool
	// unlock releases the shared ledger lock (see store.ShareLedger).
	unlock func()
	// root is the root target (Filestack) on the session's connection;
	// target is the session's target: root, or the one --to chose.
	root, target *targetConn
	// addr is the local server's address from --addr or the environment
	// ("" leaves it to config.toml); forceLocal is --local.
	addr       string
	forceLocal bool
	// busyFallback is connFlags.busyFallback, for a local server started
	// later (see localServer).
	busyFallback bool
	// local is conn.local for other goroutines (the ledger's readers).
	local atomic.Pointer[localServer]
	// getenv is the environment the session was opened in (keys, the
	// session bus, FSDECK_ALLOW_PRIVATE_URLS).
	getenv func(string) string
}

// secrets are the keys in the session's environment and the OS keyring.
func (s *session) secrets() *store.Secrets { return store.NewSecretsEnv(s.getenv) }

// localBase is the local server's base URL, "" while none runs: local
// mode's hosting-target URLs in the ledger are rebuilt for it.
func (s *session) localBase() string {
	if ls := s.local.Load(); ls != nil {
		return ls.base
	}
	return ""
}

// openSession connects as the interface does: a key in the environment or
// keyring means Filestack, else the built-in server at the configured
// address (started in-process, or shared with a running `fsdeck serve` of
// the same data directory).
func openSession(f *Factory, cf connFlags) (*session, error) {
	s, err := openSessionDamaged(f, cf)
	if err != nil {
		return nil, err
	}
	// A command prints what it read: from a damaged ledger that may be
	// nothing at all, which would look like an empty ledger.
	if d := s.ledger.Damaged(); d != nil {
		s.close()
		return nil, fmt.Errorf("the ledger %s is damaged (%v), so nothing was done: run `fsdeck doctor` to back it up and rebuild it, then run this command again", d.Path, d.Err)
	}
	return s, nil
}

// openSessionDamaged is openSession that also opens a damaged ledger
// (read-only), for the interface, which says so and stays usable.
func openSessionDamaged(f *Factory, cf connFlags) (*session, error) {
	paths, err := f.Paths()
	if err != nil {
		return nil, err
	}
	if err := paths.Ensure(); err != nil {
		return nil, fmt.Errorf("creating %s: %w", paths.Data, err)
	}
	if cf.addr, err = chosenAddr(f.Getenv, cf.addr); err != nil {
		return nil, err
	}
	if err := checkTarget(builtin.Registry(), cf.target); err != nil {
		return nil, err
	}
	addr := cf.addr
	cfg, warns := store.LoadConfig(paths.ConfigFile())
	if cf.addr == "" {
		cf.addr = cfg.LocalAddr // checked when config.toml was read
	}
	unlock, err := store.ShareLedger(paths, 5*time.Second)
	if errors.Is(err, store.ErrLedgerBusy) {
		return nil, fmt.Errorf("fsdeck doctor is rebuilding the ledger in %s; run fsdeck again when it has finished", paths.Data)
	}
	if err != nil {
		return nil, err
	}
	conn, err := connect(f.Getenv, paths, cfg, cf)
	if err != nil {
		unlock()
		return nil, err
	}
	// A ledger is new only when missing; an empty or unreadable file is
	// damage, which Open reports (read-only) rather than reuses.
	_, statErr := os.Stat(paths.LedgerPath())
	ledger, err := store.Open(paths.LedgerPath())
	if err != nil {
		conn.close()
		unlock()
		return nil, err
	}
	s := &session{paths: paths, cfg: cfg, warns: warns, conn: conn, ledger: ledger, unlock: unlock, addr: addr, forceLocal: cf.local,
		busyFallback: cf.busyFallback, getenv: f.Getenv,
		firstRun: errors.Is(statErr, fs.ErrNotExist)}
	s.local.Store(conn.local)
	ledger.SetLocalBase(s.localBase)
	s.root = s.rootTarget(cf)
	s.target = s.root
	if !defaultTarget(builtin.Registry(), cf.target) {
		if s.target, err = s.openHost(cf.target, cf.local); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

// rootTarget is the registry's root target (Filestack) on the session's
// connection, storing as config.toml and the command's flags say.
func (s *session) rootTarget(cf connFlags) *targetConn {
	reg := builtin.Registry()
	in, _ := reg.Info(reg.Root())
	st := filestack.StoreOptions{Location: or(cf.store.Location, s.cfg.Store.Location), Path: or(cf.store.Path, s.cfg.Store.Path),
		Container: or(cf.store.Container, s.cfg.Store.Container), Region: or(cf.store.Region, s.cfg.Store.Region),
		Access: or(cf.store.Access, s.cfg.Store.Access)}
	svc := fstarget.New(s.conn.client, fstarget.Options{Store: st, Intelligent: cf.intelligent || s.cfg.Intelligent})
	return &targetConn{info: in, svc: svc, scope: s.conn.scope, endpoint: s.conn.endpoint, local: s.conn.mode == ui.ModeLocal}
}

// close closes the ledger and the connection (stopping local mode's
// server).
func (s *session) close() {
	s.ledger.Close()
	s.conn.close()
	s.unlock()
}
