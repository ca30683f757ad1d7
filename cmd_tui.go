package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// runTUI opens the interface: against Filestack when a key is set, else
// against the built-in server started in-process (local mode).
func runTUI(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("fsdeck", flag.ContinueOnError)
	flags.SetOutput(stderr)
	forceLocal := flags.Bool("local", false, "use the built-in server even when an API key is set")
	addr := flags.String("addr", "", "address of the local-mode server (default from config.toml, 127.0.0.1:7337)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return nil
		}
		return usageError("%v", err)
	}
	startDir, err := startDirectory(flags.Arg(0))
	if err != nil {
		return err
	}
	if *addr, err = chosenAddr(*addr); err != nil {
		return err
	}
	if err := needTerminal(stdin, stdout); err != nil {
		return err
	}
	paths, err := store.DefaultPaths(os.Getenv)
	if err != nil {
		return err
	}
	if err := paths.Ensure(); err != nil {
		return fmt.Errorf("creating %s: %w", paths.Data, err)
	}
	cfg, warns := store.LoadConfig(paths.ConfigFile())
	if *addr == "" {
		*addr = cfg.LocalAddr // checked when config.toml was read
	}
	conn, err := connect(paths, cfg, *forceLocal, *addr)
	if err != nil {
		return err
	}
	defer conn.close()
	// A ledger is new when missing or exactly empty; any other unreadable
	// file is damage, which Open reports (read-only) rather than reuses.
	info, statErr := os.Stat(paths.LedgerPath())
	firstRun := errors.Is(statErr, fs.ErrNotExist) || (statErr == nil && info.Size() == 0)
	ledger, err := store.Open(paths.LedgerPath())
	if err != nil {
		return err
	}
	defer ledger.Close()
	notice := conn.notice
	if len(warns) > 0 {
		notice = "config: " + warns[0]
		if len(warns) > 1 {
			notice += fmt.Sprintf(" (and %d more: run `fsdeck config check`)", len(warns)-1)
		}
	}
	if d := ledger.Damaged(); d != nil {
		notice = d.Error()
	}
	var secrets ui.SecretStore
	if conn.keyring {
		secrets = store.NewSecrets()
	}
	// One writer for the renderer and every escape sequence fsdeck sends
	// itself (OSC 52, OSC 9, kitty images), so none interleave.
	term := ui.NewTerminalWriter(stdout)
	settings := ui.SettingsFrom(cfg)
	viewFile := paths.ViewStateFile()
	if v, ok, _ := store.LoadViewState(viewFile); ok { // unreadable: the defaults
		settings.ShowHidden, settings.Sort, settings.SortDesc = v.ShowHidden, v.Sort, v.SortDesc
	}
	m := ui.New(ui.Deps{Remote: conn.client, Ledger: ledger, Scope: conn.scope, Mode: conn.mode, Endpoint: conn.endpoint,
		Notice: notice, StartDir: startDir, Clipboard: term, Getenv: os.Getenv, Settings: settings, Context: ctx,
		SaveView: func(v store.ViewState) error { return store.SaveViewState(viewFile, v) },
		Secrets:  secrets, FirstRun: firstRun && conn.mode == ui.ModeLocal, KeyringProblem: conn.keyringProblem,
		Connect: func(apiKey, secret string) (ui.Connection, error) { return cloudConnection(cfg, apiKey, secret) }})
	final, err := runProgram(ctx, m, stdin, term)
	if fm, ok := final.(ui.Model); ok {
		// Let running transfers stop cleanly: uploads keep their journal
		// for the next start, partial downloads are removed.
		fm.Shutdown(3 * time.Second)
	}
	return err
}

// chosenAddr is the local-mode server's address from --addr or else
// FSDECK_LOCAL_ADDR ("" leaves it to config.toml), checked so a mistake is
// reported as such and not as a busy port.
func chosenAddr(flagAddr string) (string, error) {
	if flagAddr != "" {
		if err := store.CheckAddr(flagAddr); err != nil {
			return "", usageError("--addr %q: %v", flagAddr, err)
		}
		return flagAddr, nil
	}
	env := os.Getenv("FSDECK_LOCAL_ADDR")
	if env != "" {
		if err := store.CheckAddr(env); err != nil {
			return "", usageError("FSDECK_LOCAL_ADDR %q: %v", env, err)
		}
	}
	return env, nil
}

func startDirectory(arg string) (string, error) {
	dir := arg
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return "", err
		}
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
}

// clientConfig carries config.toml's transfer settings to the client.
func clientConfig(cfg store.Config, apiKey, secret string) filestack.Config {
	return filestack.Config{APIKey: apiKey, AppSecret: secret, CNAME: cfg.CNAME,
		PartSize: int64(cfg.PartSizeMiB) << 20, PartConcurrency: cfg.Parts}
}

// cloudConnection is a client for Filestack itself.
func cloudConnection(cfg store.Config, apiKey, secret string) (ui.Connection, error) {
	c, err := filestack.New(clientConfig(cfg, apiKey, secret))
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
func connect(paths store.Paths, cfg store.Config, forceLocal bool, addr string) (*connection, error) {
	secrets := store.NewSecrets()
	key, _, kerr := secrets.Get(store.SecretAPIKey)
	notice := ""
	var nk *store.NoKeyringError
	problem := ""
	if errors.As(kerr, &nk) {
		problem = nk.Short()
		notice = "OS keyring unavailable (" + problem + "): local mode. Set " + store.EnvAPIKey + " to use Filestack; `fsdeck key status` explains."
	}
	if key != "" && !forceLocal {
		secret, _, _ := secrets.Get(store.SecretAppSecret)
		cc, err := cloudConnection(cfg, key, secret)
		if err != nil {
			return nil, err
		}
		c := cc.Remote.(*filestack.Client)
		return &connection{client: c, scope: cc.Scope, mode: ui.ModeCloud, endpoint: cc.Endpoint, notice: notice,
			keyring: kerr == nil, keyringProblem: problem, close: c.Close}, nil
	}
	ls, err := startLocal(paths.EmulatorDir(), addr)
	if err != nil {
		return nil, fmt.Errorf("starting the local server: %w", err)
	}
	lc := clientConfig(cfg, ls.creds.APIKey, ls.creds.AppSecret)
	lc.CNAME, lc.APIBase, lc.UploadBase, lc.CDNBase = "", ls.base+"/api", ls.base, ls.base
	c, err := filestack.New(lc)
	if err != nil {
		ls.stop()
		return nil, err
	}
	if ls.note != "" {
		notice = ls.note
	}
	return &connection{client: c, scope: store.Scope{Endpoint: "local", KeyFP: store.Fingerprint(ls.creds.APIKey)},
		mode: ui.ModeLocal, endpoint: ls.base, notice: notice, keyring: kerr == nil, keyringProblem: problem,
		close: func() { c.Close(); ls.stop() }}, nil
}
