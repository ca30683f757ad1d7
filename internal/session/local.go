package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gofrs/flock"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
)

// DefaultLocalAddr is where local mode and `fsdeck serve` listen, so URLs
// copied in one run still work in the next while either is running.
const DefaultLocalAddr = "127.0.0.1:7337"

// LocalCreds are the built-in server's API key and app secret. They guard
// nothing beyond this machine's test server, so they are kept in its data
// directory (owner-only) for `fsdeck serve` and local mode to share; real
// Filestack credentials never are.
type LocalCreds struct {
	APIKey    string `json:"apikey"`
	AppSecret string `json:"secret"`
}

func LoadOrCreateCreds(dir string) (LocalCreds, error) {
	var c LocalCreds
	path := filepath.Join(dir, "credentials.json")
	b, err := os.ReadFile(path)
	if err == nil && json.Unmarshal(b, &c) == nil && c.APIKey != "" && c.AppSecret != "" {
		return c, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return c, fmt.Errorf("reading %s: %w", path, err)
	}
	c = LocalCreds{APIKey: emulator.RandomToken(22), AppSecret: emulator.RandomToken(26)}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return c, err
	}
	b, _ = json.Marshal(c)
	return c, os.WriteFile(path, b, 0o600)
}

// LocalServer is local mode's server at one address: this process's own,
// or the one another fsdeck process (of the same data directory) serves
// there. In the second case this process takes the address over when that
// one exits, so commands run in parallel never lose their server: the
// process serving holds the address's lock file (see AddrLock) while it
// listens, and every other one waits for that lock.
type LocalServer struct {
	base    string
	creds   LocalCreds
	note    string
	dataDir string
	addr    string
	// allowPrivate lets store-from-URL reach private addresses
	// (FSDECK_ALLOW_PRIVATE_URLS).
	allowPrivate bool

	mu sync.Mutex
	// halt stops this process's server (nil while another process serves).
	halt func()
	// user is held shared while another process serves for this one, so
	// that process can tell it is not alone (see othersUse).
	user *flock.Flock
	quit chan struct{}
	// watched is closed when the takeover watcher has returned (nil: none).
	watched  chan struct{}
	stopOnce sync.Once
}

// serving reports whether this process serves the address now.
func (ls *LocalServer) serving() bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.halt != nil
}

// StartLocal serves the emulator on addr, or shares the fsdeck server of
// the same data directory already there (fsdeck serve, or another fsdeck
// in local mode) and takes the address over if that one exits. Something
// else holding addr is refused with a *busyAddrError naming it, unless
// fallback (the interface) lets this run take a free port instead and say
// so. Any other failure (no such host, not this machine's address, no
// permission) is an error too: another port would hide the mistake.
func StartLocal(dataDir, addr string, fallback, allowPrivate bool) (*LocalServer, error) {
	creds, err := LoadOrCreateCreds(dataDir)
	if err != nil {
		return nil, err
	}
	ls := &LocalServer{base: "http://" + addr, creds: creds, dataDir: dataDir, addr: addr, quit: make(chan struct{}), allowPrivate: allowPrivate}
	busy, err := ls.claim()
	switch {
	case err != nil:
		return nil, err
	case busy == nil:
		return ls, nil
	case !fallback:
		return nil, busy
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("local server: %w", err)
	}
	if err := ls.serve(ln, nil); err != nil {
		return nil, err
	}
	ls.base = "http://" + ln.Addr().String()
	// What matters first: a status line keeps the start and the hint.
	ls.note = fmt.Sprintf("the URLs shown change this session: the local server is on %s, as %s; they stop working when fsdeck exits (--addr or [local] addr in config.toml chooses another address)",
		ln.Addr(), busy.held())
	return ls, nil
}

// claim serves addr, or shares the fsdeck server there; it returns the
// busy error when something else holds addr. A lock held by another
// process means an fsdeck of this data directory serves addr or is about
// to (taking it over), unless what answers there is plainly something
// else for a second: a process that took the lock and then found the port
// taken lets it go at once.
func (ls *LocalServer) claim() (*busyAddrError, error) {
	if !SharedPort(ls.addr) {
		ln, err := net.Listen("tcp", ls.addr)
		if err != nil {
			return nil, fmt.Errorf("cannot listen on %s: %w", ls.addr, err)
		}
		ls.base = "http://" + ln.Addr().String()
		return nil, ls.serve(ln, nil)
	}
	deadline := time.Now().Add(time.Second)
	for {
		lk := AddrLock(ls.dataDir, ls.addr)
		got, lerr := lk.TryLock()
		if lerr != nil {
			lk, got = nil, true // no locks on this file system: the address alone decides
		}
		if got {
			ln, err := net.Listen("tcp", ls.addr)
			if err == nil {
				ls.base = "http://" + ln.Addr().String()
				return nil, ls.serve(ln, lk)
			}
			if lk != nil {
				lk.Unlock()
			}
			if !AddrInUse(err) {
				return nil, fmt.Errorf("cannot listen on %s: %w", ls.addr, err)
			}
		}
		p := probeAddr(ls.addr, ls.creds)
		if p.kind == probeOurs || (!got && p.kind != probeOther) {
			// Ours answers, or the lock's holder serves or is about to.
			ls.share(lerr == nil)
			return nil, nil
		}
		if now := time.Now(); now.Before(deadline) || (p.kind == probeGone && now.Before(deadline.Add(4*time.Second))) {
			time.Sleep(50 * time.Millisecond) // it just left, or is leaving
			continue
		}
		if !got {
			// The lock says fsdeck serves this data there, but not as
			// local mode talks to it.
			p.what = "fsdeck serve of this data directory, set up otherwise than local mode expects (--tls or --apikey?)"
		}
		return &busyAddrError{addr: ls.addr, probe: p, holder: portHolder(ls.addr)}, nil
	}
}

// share makes this process a user of the server another process runs at
// the address, and (when locks work here) watches for its exit.
func (ls *LocalServer) share(watch bool) {
	ls.note = "using the fsdeck server already running at " + ls.addr
	if !watch {
		return
	}
	u := flock.New(addrLockPath(ls.dataDir, ls.addr) + ".users")
	if err := u.RLock(); err == nil {
		ls.user = u
	}
	ls.watched = make(chan struct{})
	go ls.watch()
}

// watch takes the address over when the process serving it exits: its
// lock comes free once it no longer listens, and the first waiting
// process to take it serves from then on. This process's requests that
// failed meanwhile are retried as any lost connection is.
func (ls *LocalServer) watch() {
	defer close(ls.watched)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ls.quit:
			return
		case <-tick.C:
		}
		lk := AddrLock(ls.dataDir, ls.addr)
		if got, err := lk.TryLock(); err != nil || !got {
			continue
		}
		ln, err := net.Listen("tcp", ls.addr)
		if err != nil {
			lk.Unlock() // something that takes no lock serves there: wait on
			continue
		}
		if ls.serve(ln, lk) == nil {
			if ls.user != nil {
				ls.user.Unlock()
				ls.user = nil
			}
			return
		}
	}
}

// serve runs the emulator (and the hosting emulators) on ln. lk, when not
// nil, is the address's lock, held until the server has stopped. On
// failure ln is closed and lk released.
func (ls *LocalServer) serve(ln net.Listener, lk *flock.Flock) error {
	release := func() {
		if lk != nil {
			lk.Unlock()
		}
	}
	emu, err := emulator.New(emulator.Options{DataDir: ls.dataDir, APIKeys: []string{ls.creds.APIKey}, AppSecret: ls.creds.AppSecret,
		FetchPrivate: ls.allowPrivate})
	if err != nil {
		ln.Close()
		release()
		return err
	}
	// The hosting emulators answer under /imgbb/, /pastebin/, … as under
	// fsdeck serve, taking the same API key and keeping their files under
	// the same data directory. The TUI owns the terminal, so what goes
	// wrong with their stored state is logged to hosts/errors.log there.
	hostsLog, closeLog := hostsLogFile(ls.dataDir)
	h := emu.GuardSenders(builtin.Mount(emu, []string{ls.creds.APIKey}, ls.dataDir, hostsLog))
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 15 * time.Second, IdleTimeout: 2 * time.Minute}
	go srv.Serve(ln)
	ls.mu.Lock()
	ls.halt = func() {
		// Requests in flight (other processes' too) get 2 s to finish;
		// the lock goes last, so a process taking the address over never
		// runs beside this server on the same data.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		srv.Close()
		emu.Close()
		closeLog()
		release()
	}
	ls.mu.Unlock()
	return nil
}

// stop ends this process's part: the watcher, and the server when this
// process serves it. Safe to call more than once.
func (ls *LocalServer) stop() {
	ls.stopOnce.Do(func() {
		close(ls.quit)
		if ls.watched != nil {
			<-ls.watched
		}
		ls.mu.Lock()
		halt := ls.halt
		ls.halt = nil
		ls.mu.Unlock()
		if halt != nil {
			halt()
		}
		if ls.user != nil {
			ls.user.Unlock()
		}
	})
}

// othersUse reports whether another fsdeck process uses this process's
// server (and so will take it over when this one exits).
func (ls *LocalServer) othersUse() bool {
	if !SharedPort(ls.addr) {
		return false
	}
	u := flock.New(addrLockPath(ls.dataDir, ls.addr) + ".users")
	got, err := u.TryLock()
	if err != nil {
		return false
	}
	if got {
		u.Unlock()
	}
	return !got
}

// SharedPort reports whether addr names a fixed port, which other
// processes can share (port 0 is a new port for every listener).
func SharedPort(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	return err == nil && port != "0"
}

// addrLockPath is the lock file of one listen address in the local
// server's data directory, held by the process serving there.
func addrLockPath(dataDir, addr string) string {
	name := strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, addr)
	return filepath.Join(dataDir, ".addr-"+name+".lock")
}

func AddrLock(dataDir, addr string) *flock.Flock { return flock.New(addrLockPath(dataDir, addr)) }

// hostsLogFile is a logger appending to dataDir/hosts/errors.log (errors
// only), or one that discards when the file cannot be opened.
func hostsLogFile(dataDir string) (*slog.Logger, func()) {
	dir := filepath.Join(dataDir, "hosts")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return slog.New(slog.DiscardHandler), func() {}
	}
	f, err := os.OpenFile(filepath.Join(dir, "errors.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return slog.New(slog.DiscardHandler), func() {}
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelError})), func() { f.Close() }
}

// AddrInUse reports whether a listen failed because the port is taken
// (WSAEADDRINUSE, 10048, on Windows).
func AddrInUse(err error) bool {
	var errno syscall.Errno
	return errors.As(err, &errno) && (errno == syscall.EADDRINUSE || errno == 10048)
}

// Base is the server's base URL ("http://127.0.0.1:7337").
func (ls *LocalServer) Base() string { return ls.base }

// Creds are the data directory's API key and app secret, which the server
// takes.
func (ls *LocalServer) Creds() LocalCreds { return ls.creds }

// Note says what a person should know about the server ("" when
// nothing): it is another process's, or on another port than asked.
func (ls *LocalServer) Note() string { return ls.note }

// Serving reports whether this process serves the address now.
func (ls *LocalServer) Serving() bool { return ls.serving() }

// OthersUse reports whether another fsdeck process uses this process's
// server (and so will take it over when this one exits).
func (ls *LocalServer) OthersUse() bool { return ls.othersUse() }

// Stop ends this process's part (see stop). Safe to call more than once.
func (ls *LocalServer) Stop() { ls.stop() }
