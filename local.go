package main

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
	"syscall"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/hosts/builtin"
)

// defaultLocalAddr is where local mode and `fsdeck serve` listen, so URLs
// copied in one run still work in the next while either is running.
const defaultLocalAddr = "127.0.0.1:7337"

// localCreds are the built-in server's API key and app secret. They guard
// nothing beyond this machine's test server, so they are kept in its data
// directory (owner-only) for `fsdeck serve` and local mode to share; real
// Filestack credentials never are.
type localCreds struct {
	APIKey    string `json:"apikey"`
	AppSecret string `json:"secret"`
}

func loadOrCreateCreds(dir string) (localCreds, error) {
	var c localCreds
	path := filepath.Join(dir, "credentials.json")
	b, err := os.ReadFile(path)
	if err == nil && json.Unmarshal(b, &c) == nil && c.APIKey != "" && c.AppSecret != "" {
		return c, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return c, fmt.Errorf("reading %s: %w", path, err)
	}
	c = localCreds{APIKey: emulator.RandomToken(22), AppSecret: emulator.RandomToken(26)}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return c, err
	}
	b, _ = json.Marshal(c)
	return c, os.WriteFile(path, b, 0o600)
}

// localServer is the in-process server of local mode.
type localServer struct {
	base  string
	creds localCreds
	note  string
	stop  func()
	// own: this process serves (no other fsdeck served the address), so
	// the server and its URLs stop with it.
	own bool
}

// startLocal serves the emulator on addr. If addr is held by another fsdeck
// server with the same data (fsdeck serve, or another fsdeck), it uses that
// one; if something else holds it, it takes a free port and says so. Any
// other failure (no such host, not this machine's address, no permission)
// is an error: another port would hide the mistake.
func startLocal(dataDir, addr string) (*localServer, error) {
	creds, err := loadOrCreateCreds(dataDir)
	if err != nil {
		return nil, err
	}
	ln, lerr := net.Listen("tcp", addr)
	note := ""
	if lerr != nil {
		if !addrInUse(lerr) {
			return nil, fmt.Errorf("cannot listen on %s: %w", addr, lerr)
		}
		if sharedServer(addr, creds.APIKey) {
			return &localServer{base: "http://" + addr, creds: creds, stop: func() {},
				note: "using the fsdeck server already running at " + addr}, nil
		}
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("local server: %w", err)
		}
		note = fmt.Sprintf("%s is busy, so the local server uses %s for this run (its URLs stop working when fsdeck exits)", addr, ln.Addr())
	}
	emu, err := emulator.New(emulator.Options{DataDir: dataDir, APIKeys: []string{creds.APIKey}, AppSecret: creds.AppSecret,
		FetchPrivate: allowPrivateURLs(os.Getenv)})
	if err != nil {
		ln.Close()
		return nil, err
	}
	// The hosting emulators answer under /imgbb/, /pastebin/, … as under
	// fsdeck serve, taking the same API key and keeping their files under
	// the same data directory. The TUI owns the terminal, so what goes
	// wrong with their stored state is logged to hosts/errors.log there.
	hostsLog, closeLog := hostsLogFile(dataDir)
	h := emu.GuardSenders(builtin.Mount(emu, []string{creds.APIKey}, dataDir, hostsLog))
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 15 * time.Second, IdleTimeout: 2 * time.Minute}
	go srv.Serve(ln)
	return &localServer{base: "http://" + ln.Addr().String(), creds: creds, note: note, own: true, stop: func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		emu.Close()
		closeLog()
	}}, nil
}

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

// sharedServer reports whether addr is an fsdeck server that accepts key.
func sharedServer(addr, key string) bool {
	c := &http.Client{Timeout: 2 * time.Second}
	res, err := c.Get("http://" + addr + "/api/file/AAAAAAAAAAAAAAAAAAAA/metadata?key=" + key)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.Header.Get("Server") == emulator.ServerName && res.StatusCode == http.StatusNotFound
}

// addrInUse reports whether a listen failed because the port is taken
// (WSAEADDRINUSE, 10048, on Windows).
func addrInUse(err error) bool {
	var errno syscall.Errno
	return errors.As(err, &errno) && (errno == syscall.EADDRINUSE || errno == 10048)
}
