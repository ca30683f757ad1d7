package cli

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/gofrs/flock"
	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/localca"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/store"
)

// repeated collects a flag given several times (--fault).
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// Type names the value in help ("--fault spec").
func (r *repeated) Type() string { return "spec" }

// byteSize is a size flag that takes units (512MiB, 1GiB, 2GB) or bytes.
type byteSize int64

func (b *byteSize) String() string { return humanize.IBytes(uint64(*b)) }

// Type names the value in help ("--memory-budget size").
func (b *byteSize) Type() string { return "size" }

func (b *byteSize) Set(v string) error {
	n, err := humanize.ParseBytes(v)
	if err != nil || n == 0 || n > math.MaxInt64 {
		return fmt.Errorf("want a positive size such as 512MiB or 1GiB")
	}
	*b = byteSize(n)
	return nil
}

// serveOptions are `fsdeck serve`'s flags.
type serveOptions struct {
	IO      *iostreams.IOStreams
	factory *Factory

	addr, data, apikey, secret, secretFile string
	securityRequired, tls, noIntelligent   bool
	certFile, keyFile, cname, publicURL    string
	allowPrivate, quiet, fsync, hostsOnly  bool
	sessionTTL, bodyIdle, writeIdle        time.Duration
	procTimeout                            time.Duration
	maxUpload                              int64
	memoryBudget, cacheSize                byteSize
	faults                                 repeated
	limits                                 serveLimits
}

// newCmdServe is `fsdeck serve`: the emulator standalone until
// interrupted.
func newCmdServe(f *Factory, runF func(context.Context, *serveOptions) error) *cobra.Command {
	opts := &serveOptions{IO: f.IOStreams, factory: f, memoryBudget: 512 << 20, cacheSize: 1 << 30}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Filestack-compatible server (fsdeck serve --help for its flags)",
		Long: `Runs the Filestack-compatible server (and the other services' emulators) until interrupted.
The command line is visible to every user of this machine (ps, /proc), so give the app secret in
` + envServeSecret + ` or --secret-file, and the API key in ` + envServeAPIKey + `, rather than --secret and --apikey.`,
		Args: noArgs,
		RunE: runE(opts, nil, runF, runServe),
	}
	// The data directory's default names the one the environment gives;
	// when the environment names none, serve fails on it when run.
	paths, _ := f.Paths()
	fl := cmd.Flags()
	fl.StringVar(&opts.addr, "addr", "", "listen address, loopback unless you give another host (default: FSDECK_LOCAL_ADDR, else [local] addr in config.toml, else "+sess.DefaultLocalAddr+", as local mode)")
	fl.StringVar(&opts.data, "data", paths.EmulatorDir(), "data directory (files, sessions, cache)")
	fl.StringVar(&opts.apikey, "apikey", "", "API key to accept (default: "+envServeAPIKey+", else the local server's own key, generated once); the command line is visible to other users (ps), so prefer "+envServeAPIKey)
	fl.StringVar(&opts.secret, "secret", "", "app secret to sign policies with (default: "+envServeSecret+", else generated once and kept in the data directory); the command line is visible to other users (ps), so prefer "+envServeSecret+" or --secret-file")
	fl.StringVar(&opts.secretFile, "secret-file", "", "read the app secret from this file (the secret alone, or lines apikey=… and secret=…); refused when group or others may read it (chmod 600)")
	fl.BoolVar(&opts.securityRequired, "security-required", false, `require credentials on every request ("security for every request"): a signed policy (or basic auth app:SECRET) for every Filestack call, stores, multipart, downloads, metadata and processing (delete and overwrite always need one; part PUTs go to the URLs multipart/upload signed), and the API key, in each service's own form, on every route of the hosting emulators, downloads and pages included: ImgBB key=, Gyazo access_token= or a Bearer token, Pastebin api_dev_key=, DDownload key=, GoFile a Bearer token or the accountToken cookie (no GoFile guest accounts)`)
	fl.BoolVar(&opts.tls, "tls", false, "serve HTTPS with a certificate from a local CA made once in the data directory (tls-ca/ca.pem), name-constrained to the served hostnames (--hosts), localhost and loopback; prints how to trust it")
	fl.BoolVar(&opts.hostsOnly, "hosts", false, "print the /etc/hosts lines for every hostname serve answers (Filestack's and the other services') and exit")
	fl.StringVar(&opts.certFile, "tls-cert", "", "TLS certificate (PEM) instead of the local CA's")
	fl.StringVar(&opts.keyFile, "tls-key", "", "TLS key (PEM) for --tls-cert")
	fl.StringVar(&opts.cname, "cname", "", "custom domain: file URLs in answers name cdn.<cname>, and --hosts and --tls's certificate name cdn., upload., www. and process. of it instead of Filestack's hosts")
	fl.StringVar(&opts.publicURL, "public-url", "", "base URL to put in answers (default: from each request's Host)")
	fl.BoolVar(&opts.noIntelligent, "no-intelligent", false, "never grant intelligent ingestion")
	fl.BoolVar(&opts.allowPrivate, "allow-private-urls", sess.AllowPrivateURLs(f.Getenv), "let store-from-URL and external sources reach loopback, private and link-local addresses (refused by default; also FSDECK_ALLOW_PRIVATE_URLS=1)")
	fl.DurationVar(&opts.sessionTTL, "session-ttl", 24*time.Hour, "how long unfinished multipart uploads are kept")
	fl.Int64Var(&opts.maxUpload, "max-upload", 5<<30, "largest file accepted, in bytes")
	fl.BoolVar(&opts.quiet, "quiet", false, "do not log requests")
	fl.BoolVar(&opts.fsync, "fsync", false, "fsync every write (durable against power loss; writes are atomic either way)")
	fl.DurationVar(&opts.bodyIdle, "body-timeout", 30*time.Second, "cut a request body that sends nothing for this long (or, after it, averages under 1 KiB/s)")
	fl.DurationVar(&opts.writeIdle, "write-timeout", 30*time.Second, "cut a response the client takes nothing of for this long (or, after it, reads at under 1 KiB/s on average)")
	fl.DurationVar(&opts.procTimeout, "process-timeout", 60*time.Second, "longest a processing request may run before it is answered 504")
	fl.Var(&opts.memoryBudget, "memory-budget", "memory for image processing in flight, e.g. 512MiB; more waits, then 503 (also Go's soft heap limit unless GOMEMLIMIT is set)")
	fl.Var(&opts.cacheSize, "cache-size", "disk space for processed results, e.g. 1GiB; least recently used go first")
	fl.Var(&opts.limits, "limits", "the hosting services' limits: on (default), off, or NAME=on|off, comma-separated or repeated; off lifts quotas, daily caps and pacing (Pastebin's 10 pastes a day and unlisted/private counts, DDownload's 4 requests a second) for test suites; documented sizes stay")
	fl.Var(&opts.faults, "fault", "inject faults, e.g. put:nth=3,status=503  put:rate=0.1,drop  complete:accepted=2  *:latency=50ms  cdn:bps=65536 (repeatable)")
	for _, name := range []string{"data", "secret-file", "tls-cert", "tls-key"} {
		cmd.MarkFlagFilename(name)
	}
	cmd.MarkFlagDirname("data")
	return cmd
}

// runServe runs the emulator standalone until interrupted.
func runServe(ctx context.Context, o *serveOptions) error {
	f, stderr := o.factory, o.IO.ErrOut
	paths, err := f.Paths()
	if err != nil {
		return err
	}
	addr, err := serveAddr(f.Getenv, paths, o.addr, stderr)
	if err != nil {
		return err
	}
	if o.hostsOnly {
		writeHostsLines(o.IO.Out, stderr, addr, o.cname, o.tls || o.certFile != "")
		return nil
	}
	key, sec, err := serveCreds(f.Getenv, o.apikey, o.secret, f.Abs(o.secretFile))
	if err != nil {
		return err
	}
	if o.secret != "" {
		fmt.Fprintf(stderr, "fsdeck serve: warning: --secret is visible to every user of this machine (ps, /proc); give it in %s or --secret-file instead\n", envServeSecret)
	}
	data := f.Abs(o.data)
	opts, err := emulatorOptions(data, key.value, sec.value, o.faults)
	if err != nil {
		return err
	}
	opts.SecurityRequired, opts.PublicURL, opts.DisableIntelligent = o.securityRequired, o.publicURL, o.noIntelligent
	opts.CNAME, opts.FetchPrivate = o.cname, o.allowPrivate
	opts.SessionTTL, opts.MaxUploadSize, opts.Fsync = o.sessionTTL, o.maxUpload, o.fsync
	opts.BodyIdleTimeout, opts.WriteIdleTimeout, opts.ProcessTimeout = o.bodyIdle, o.writeIdle, o.procTimeout
	opts.MemoryBudget, opts.CacheSize = int64(o.memoryBudget), int64(o.cacheSize)
	if f.Getenv("GOMEMLIMIT") == "" {
		// Freed images are garbage until the next collection; a soft limit
		// at the budget makes the collector run before the heap outgrows it.
		debug.SetMemoryLimit(int64(o.memoryBudget))
	}
	if !o.quiet {
		opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	var tlsCfg *tls.Config
	certNote := ""
	switch {
	case o.certFile != "":
		if tlsCfg, err = emulator.LoadTLS(f.Abs(o.certFile), f.Abs(o.keyFile)); err != nil {
			return err
		}
	case o.tls:
		var files localca.Files
		if tlsCfg, files, err = localca.Ensure(data, servedHostnames(o.cname), time.Now()); err != nil {
			return fmt.Errorf("making the local CA in %s: %w", data, err)
		}
		certNote = tlsBanner(files)
	}
	return serveUntilDone(ctx, addr, opts, serveHosts{tls: tlsCfg, unlimited: o.limits.lifted()}, o.IO,
		secretLine(opts, sec)+certNote+o.limits.bannerLine())
}

// secretLine is the banner's line about the app secret: its fingerprint
// and where it is kept, never the secret (a banner ends up in logs and
// terminal scrollback).
func secretLine(opts emulator.Options, sec serveCred) string {
	from := sec.from
	if from == "" {
		from = "kept in " + filepath.Join(opts.DataDir, "credentials.json")
	} else {
		from = "from " + from
	}
	return fmt.Sprintf("  secret    %s (%s)\n", secretFingerprint(opts.AppSecret), from)
}

// serveAddr is where serve listens: --addr, else where local mode looks
// for the server (FSDECK_LOCAL_ADDR, then config.toml's [local] addr), so
// the other commands share it. Config warnings go to stderr, as a bad
// [local] addr falls back to the default.
func serveAddr(getenv func(string) string, paths store.Paths, flagAddr string, stderr io.Writer) (string, error) {
	addr, err := sess.ChosenAddr(getenv, flagAddr)
	if err != nil || addr != "" {
		return addr, err
	}
	cfg, warns := store.LoadConfig(paths.ConfigFile())
	for _, w := range warns {
		fmt.Fprintln(stderr, "fsdeck: config:", w)
	}
	return or(cfg.LocalAddr, sess.DefaultLocalAddr), nil
}

// emulatorOptions are the server's options from the data directory, the
// credentials and the --fault flags.
func emulatorOptions(data, apikey, secret string, faults []string) (emulator.Options, error) {
	opts := emulator.Options{DataDir: data}
	creds, err := sess.LoadOrCreateCreds(data)
	if err != nil {
		return opts, err
	}
	if apikey == "" {
		apikey = creds.APIKey
	}
	if secret == "" {
		secret = creds.AppSecret
	}
	opts.APIKeys, opts.AppSecret = []string{apikey}, secret
	for _, f := range faults {
		ft, err := emulator.ParseFault(f)
		if err != nil {
			return opts, usageError("%v", err)
		}
		opts.Faults = append(opts.Faults, ft)
	}
	return opts, nil
}

// serveHosts is how serve runs beside the Filestack emulator's options:
// TLS (nil: plain HTTP) and the hosting services whose limits are off.
type serveHosts struct {
	tls       *tls.Config
	unlimited []string
}

// serveUntilDone serves until ctx ends; notes are banner lines (secret,
// certificate, limits) printed after the API key.
func serveUntilDone(ctx context.Context, addr string, opts emulator.Options, sh serveHosts, ios *iostreams.IOStreams, notes string) error {
	tlsCfg := sh.tls
	stdout := ios.Out
	// The address's lock tells local-mode fsdeck processes that an fsdeck
	// of this data serves here, and when it has stopped (after the
	// emulator: the defers run in reverse), so one of them can take over.
	var addrLk *flock.Flock
	defer func() {
		if addrLk != nil {
			addrLk.Unlock()
		}
	}()
	emu, err := emulator.New(opts)
	if err != nil {
		return err
	}
	defer emu.Close()
	ln, err := net.Listen("tcp", addr)
	if err == nil && sess.SharedPort(addr) {
		lk := sess.AddrLock(opts.DataDir, addr)
		if ok, _ := lk.TryLock(); ok {
			addrLk = lk
		}
	}
	if sess.AddrInUse(err) {
		return fmt.Errorf("cannot listen on %s: something already serves there (fsdeck itself, when its interface or another fsdeck serve runs: they share this address and data, so its URLs already work); use --addr HOST:PORT for another", addr)
	}
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsCfg)
	}
	base := scheme + "://" + ln.Addr().String()
	warn := ""
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		warn = "  warning   listening beyond loopback: anyone who can reach this address and knows the key can upload\n"
	}
	fmt.Fprintf(stdout, "fsdeck Filestack-compatible server on %s\n  data      %s\n  API key   %s\n%s%s"+
		"  hosts     %s/{%s}/ (other services' emulators, same key; also on their own hostnames: fsdeck serve --hosts)\n"+
		"Try:  curl -F fileUpload=@photo.jpg '%s/api/store/S3?key=%s'\n",
		base, opts.DataDir, opts.APIKeys[0], notes, warn, base, strings.Join(builtin.Registry().Mounted(), ","), base, opts.APIKeys[0])
	baseCtx, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	// The hosting emulators keep their files under the same data
	// directory; what goes wrong with their stored state is logged even
	// with --quiet, which silences only the request log.
	hostsLog := opts.Logger
	if hostsLog == nil {
		hostsLog = slog.New(slog.NewTextHandler(ios.ErrOut, &slog.HandlerOptions{Level: slog.LevelError}))
	}
	busy := &inFlight{next: emu.GuardSenders(builtin.MountWithin(emu, hosts.EmulatorSetup{Keys: opts.APIKeys, Dir: opts.DataDir,
		Quota: hosts.NewQuota(0), Memory: hosts.NewMemory(0), Log: hostsLog, Fsync: opts.Fsync, UnlimitedFor: sh.unlimited}))}
	srv := &http.Server{Handler: busy, ReadHeaderTimeout: 15 * time.Second, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return baseCtx }}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	stopServer(srv, cancelBase, busy, 5*time.Second)
	return nil
}

// inFlight counts requests inside the handler, so shutdown knows when
// only connections without a request (idle, new, half a header) remain.
type inFlight struct {
	next http.Handler
	n    atomic.Int64
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.n.Add(1)
	defer f.n.Add(-1)
	f.next.ServeHTTP(w, r)
}

// stopServer ends serving promptly. Cancelling the base context stops
// processing at its next step; Shutdown stops accepting and closes idle
// connections; requests still transferring get up to grace; then every
// connection left, including ones that never sent a whole request (which
// Shutdown would wait on), is closed. An idle server stops at once.
func stopServer(srv *http.Server, cancelBase context.CancelFunc, busy *inFlight, grace time.Duration) {
	cancelBase()
	sctx, cancel := context.WithCancel(context.Background())
	shut := make(chan struct{})
	go func() { srv.Shutdown(sctx); close(shut) }()
	busy.waitIdle(grace)
	cancel()
	<-shut
	srv.Close()
	// Handlers cut by Close remove their temp files on the way out.
	busy.waitIdle(time.Second)
}

// waitIdle waits until no request is in the handler, at most d.
func (f *inFlight) waitIdle(d time.Duration) {
	for end := time.Now().Add(d); f.n.Load() > 0 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
}
