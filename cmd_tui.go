package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// runTUI opens the interface: against Filestack when a key is set, else
// against the built-in server started in-process (local mode).
func runTUI(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fsdeck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	forceLocal := fs.Bool("local", false, "use the built-in server even when an API key is set")
	addr := fs.String("addr", envOr("FSDECK_LOCAL_ADDR", defaultLocalAddr), "address of the local-mode server")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return nil
		}
		return usageError("%v", err)
	}
	startDir, err := startDirectory(fs.Arg(0))
	if err != nil {
		return err
	}
	paths, err := store.DefaultPaths(os.Getenv)
	if err != nil {
		return err
	}
	if err := paths.Ensure(); err != nil {
		return fmt.Errorf("creating %s: %w", paths.Data, err)
	}
	conn, err := connect(paths, *forceLocal, *addr)
	if err != nil {
		return err
	}
	defer conn.close()
	ledger, err := store.Open(paths.LedgerPath())
	if err != nil {
		return err
	}
	defer ledger.Close()
	m := ui.New(ui.Deps{Remote: conn.client, Ledger: ledger, Scope: conn.scope, Mode: conn.mode, Endpoint: conn.endpoint,
		Notice: conn.notice, StartDir: startDir, Clipboard: stdout, Getenv: os.Getenv, Settings: ui.DefaultSettings()})
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx),
		tea.WithInput(stdin), tea.WithOutput(stdout))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return err
	}
	return nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
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
	close    func()
}

// connect picks Filestack (a key in the environment or keyring) or local
// mode. A keyring that cannot be read is reported, never worked around by
// writing the key elsewhere.
func connect(paths store.Paths, forceLocal bool, addr string) (*connection, error) {
	secrets := store.NewSecrets()
	key, _, kerr := secrets.Get(store.SecretAPIKey)
	notice := ""
	var nk *store.NoKeyringError
	if errors.As(kerr, &nk) {
		notice = "OS keyring unavailable (" + nk.Short() + "): local mode. Set " + store.EnvAPIKey + " to use Filestack; `fsdeck key status` explains."
	}
	if key != "" && !forceLocal {
		secret, _, _ := secrets.Get(store.SecretAppSecret)
		c, err := filestack.New(filestack.Config{APIKey: key, AppSecret: secret})
		if err != nil {
			return nil, err
		}
		cfg := c.Config()
		return &connection{client: c, scope: store.Scope{Endpoint: cfg.APIBase, KeyFP: store.Fingerprint(key)},
			mode: ui.ModeCloud, endpoint: "Filestack (" + store.Fingerprint(key)[:8] + ")", notice: notice, close: c.Close}, nil
	}
	ls, err := startLocal(paths.EmulatorDir(), addr)
	if err != nil {
		return nil, fmt.Errorf("starting the local server: %w", err)
	}
	c, err := filestack.New(filestack.Config{APIKey: ls.creds.APIKey, AppSecret: ls.creds.AppSecret,
		APIBase: ls.base + "/api", UploadBase: ls.base, CDNBase: ls.base})
	if err != nil {
		ls.stop()
		return nil, err
	}
	if ls.note != "" {
		notice = ls.note
	}
	return &connection{client: c, scope: store.Scope{Endpoint: "local", KeyFP: store.Fingerprint(ls.creds.APIKey)},
		mode: ui.ModeLocal, endpoint: ls.base, notice: notice, close: func() { c.Close(); ls.stop() }}, nil
}
