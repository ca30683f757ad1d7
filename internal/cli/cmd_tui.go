package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// tuiOptions are the interface's flags (the root command's) and its
// start directory.
type tuiOptions struct {
	IO      *iostreams.IOStreams
	factory *Factory
	conn    connFlags
	// Dir is the directory the local pane starts in ("" for the working
	// directory).
	Dir string
}

// runTUI opens the interface: against Filestack when a key is set, else
// against the built-in server started in-process (local mode).
func runTUI(ctx context.Context, o *tuiOptions) error {
	f, cf, io := o.factory, o.conn, o.IO
	startDir, err := startDirectory(f.WorkDir, o.Dir)
	if err != nil {
		return err
	}
	if cf.addr, err = chosenAddr(f.Getenv, cf.addr); err != nil {
		return err
	}
	if err := needTerminal(io); err != nil {
		return err
	}
	cf.busyFallback = true
	s, err := openSessionDamaged(f, cf)
	if err != nil {
		return err
	}
	defer s.close()
	conn, cfg, paths := s.conn, s.cfg, s.paths
	notice := conn.notice
	if len(s.warns) > 0 {
		notice = "config: " + s.warns[0]
		if len(s.warns) > 1 {
			notice += fmt.Sprintf(" (and %d more: run `fsdeck config check`)", len(s.warns)-1)
		}
	}
	if d := s.ledger.Damaged(); d != nil {
		notice = d.Error()
	}
	var secrets ui.SecretStore
	if conn.keyring {
		secrets = f.Secrets()
	}
	// One writer for the renderer and every escape sequence fsdeck sends
	// itself (OSC 52, OSC 9, kitty images), so none interleave.
	term := ui.NewTerminalWriter(io.Out)
	settings := ui.SettingsFrom(cfg)
	viewFile := paths.ViewStateFile()
	// Unreadable: the defaults. A file holding only the remembered target
	// (saved before any view change) has no sort.
	if v, ok, _ := store.LoadViewState(viewFile); ok && v.Sort != "" {
		settings.ShowHidden, settings.Sort, settings.SortDesc = v.ShowHidden, v.Sort, v.SortDesc
		settings.ShowPreview, settings.RecentDirs = v.Preview, v.RecentDirs
	}
	targets, problem := s.targetConns()
	if notice == "" {
		notice = problem
	}
	// The engine runs the transfers with the session's policy; the
	// interface only shows it.
	jt := bookkeeping.For(s.ledger, conn.scope)
	fs := fstarget.New(conn.client, fstarget.Options{Store: settings.Store, Intelligent: settings.Intelligent})
	eng := transfer.New(ctx, transfer.Options{Target: transfer.Target{Service: fs, Journal: jt, Ledger: jt},
		FileConcurrency: settings.FileConcurrency, PartConcurrency: settings.PartConcurrency})
	m := ui.New(ui.Deps{Remote: conn.client, Ledger: s.ledger, Scope: conn.scope, Mode: conn.mode, Endpoint: conn.endpoint,
		Notice: notice, StartDir: startDir, Clipboard: term, CopyEnv: clipboardEnv(f.Getenv), Getenv: f.Getenv, Settings: settings, Context: ctx,
		SaveView: func(v store.ViewState) error { return saveView(viewFile, v) },
		Secrets:  secrets, FirstRun: s.firstRun && conn.mode == ui.ModeLocal, KeyringProblem: conn.keyringProblem,
		Connect: func(apiKey, secret string) (ui.Connection, error) {
			return cloudConnection(f.Getenv, cfg, apiKey, secret, 0)
		},
		Targets: targets, Target: startTarget(cf.target, viewFile, targets), ConnectTarget: s.connectTarget,
		SaveTarget: func(name string) error { return saveTarget(viewFile, name) }, Engine: eng})
	final, err := runProgram(ctx, m, io.In, term, f.Getenv)
	if fm, ok := final.(*ui.Model); ok {
		// Let running transfers stop cleanly: uploads keep their journal
		// for the next start, journaled partial downloads are kept.
		fm.Shutdown(3 * time.Second)
	}
	return err
}

// chosenAddr is the local-mode server's address from --addr or else
// FSDECK_LOCAL_ADDR ("" leaves it to config.toml), checked so a mistake is
// reported as such and not as a busy port.
func chosenAddr(getenv func(string) string, flagAddr string) (string, error) {
	if flagAddr != "" {
		if err := store.CheckAddr(flagAddr); err != nil {
			return "", usageError("--addr %q: %v", flagAddr, err)
		}
		return flagAddr, nil
	}
	env := getenv("FSDECK_LOCAL_ADDR")
	if env != "" {
		if err := store.CheckAddr(env); err != nil {
			return "", usageError("FSDECK_LOCAL_ADDR %q: %v", env, err)
		}
	}
	return env, nil
}

func startDirectory(workDir, arg string) (string, error) {
	dir := arg
	if dir == "" {
		if dir = workDir; dir == "" {
			var err error
			if dir, err = os.Getwd(); err != nil {
				return "", err
			}
		}
	} else if !filepath.IsAbs(dir) && workDir != "" {
		dir = filepath.Join(workDir, dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return "", usageError("%s is not a directory", arg)
	}
	return abs, nil
}

// connection is the client and where its ledger entries belong.
type connection struct {
	client   *filestack.Client
	scope    store.Scope
	mode     ui.Mode
	endpoint string
	notice   string
	keyring  bool // the OS keyring answered
	// keyringProblem says briefly why it did not.
	keyringProblem string
	close          func()
	// local is the local server (nil while the session is on Filestack
	// itself and no hosting emulator was needed).
	local *localServer
}

// clientConfig carries config.toml's transfer settings to the client.
// partSize (bytes), when not 0, overrides the configured part size.
func clientConfig(cfg store.Config, apiKey, secret string, partSize int64) filestack.Config {
	if partSize == 0 {
		partSize = int64(cfg.PartSizeMiB) << 20
	}
	return filestack.Config{APIKey: apiKey, AppSecret: secret, CNAME: cfg.CNAME,
		PartSize: partSize, PartConcurrency: cfg.Parts, Describe: text.Describe}
}

// cloudConnection is a client for Filestack itself (or the server
// $FSDECK_ENDPOINT names).
func cloudConnection(getenv func(string) string, cfg store.Config, apiKey, secret string, partSize int64) (ui.Connection, error) {
	fc := clientConfig(cfg, apiKey, secret, partSize)
	if err := endpointBases(getenv, &fc); err != nil {
		return ui.Connection{}, err
	}
	c, err := filestack.New(fc)
	if err != nil {
		return ui.Connection{}, err
	}
	fp := store.Fingerprint(apiKey)
	return ui.Connection{Remote: c, Scope: store.Scope{Endpoint: c.Config().APIBase, KeyFP: fp},
		Endpoint: "Filestack (key " + fp[:8] + ")"}, nil
}

// connect picks Filestack (a key in the environment or keyring) or local
// mode. A keyring that cannot be read is reported, never worked around by
// writing the key elsewhere.
func connect(getenv func(string) string, paths store.Paths, cfg store.Config, cf connFlags) (*connection, error) {
	secrets := store.NewSecretsEnv(getenv)
	key, _, kerr := secrets.Get(store.SecretAPIKey)
	notice := ""
	var nk *store.NoKeyringError
	problem := ""
	if errors.As(kerr, &nk) {
		problem = nk.Short()
		notice = "OS keyring unavailable (" + problem + "): local mode. Set " + store.EnvAPIKey + " to use Filestack; `fsdeck key status` explains."
	}
	if key != "" && !cf.local {
		secret, _, _ := secrets.Get(store.SecretAppSecret)
		cc, err := cloudConnection(getenv, cfg, key, secret, cf.partSize)
		if err != nil {
			return nil, err
		}
		c := cc.Remote.(*filestack.Client)
		return &connection{client: c, scope: cc.Scope, mode: ui.ModeCloud, endpoint: cc.Endpoint, notice: notice,
			keyring: kerr == nil, keyringProblem: problem, close: c.Close}, nil
	}
	ls, err := startLocal(paths.EmulatorDir(), cf.addr, cf.busyFallback, allowPrivateURLs(getenv))
	if err != nil {
		return nil, fmt.Errorf("starting the local server: %w", err)
	}
	lc := clientConfig(cfg, ls.creds.APIKey, ls.creds.AppSecret, cf.partSize)
	lc.CNAME, lc.APIBase, lc.UploadBase, lc.CDNBase = "", ls.base+"/api", ls.base, ls.base
	c, err := filestack.New(lc)
	if err != nil {
		ls.stop()
		return nil, err
	}
	if ls.note != "" {
		notice = ls.note
	}
	return &connection{client: c, scope: store.Scope{Endpoint: store.LocalEndpoint, KeyFP: store.Fingerprint(ls.creds.APIKey)},
		mode: ui.ModeLocal, endpoint: ls.base, notice: notice, keyring: kerr == nil, keyringProblem: problem,
		close: func() { c.Close(); ls.stop() }, local: ls}, nil
}
