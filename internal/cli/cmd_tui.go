package cli

import (
	"context"
	"fmt"
	goio "io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
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
	// CwdFile is --cwd-file: where to write the local pane's last
	// directory on quit ("" for nowhere).
	CwdFile string
}

// runTUI opens the interface: against Filestack when a key is set, else
// against the built-in server started in-process (local mode).
func runTUI(ctx context.Context, o *tuiOptions) error {
	f, cf, io := o.factory, o.conn, o.IO
	startDir, err := startDirectory(f.WorkDir, o.Dir)
	if err != nil {
		return err
	}
	if cf.addr, err = sess.ChosenAddr(f.Getenv, cf.addr); err != nil {
		return err
	}
	cwdFile, err := cwdFilePath(f.WorkDir, o.CwdFile)
	if err != nil {
		return err
	}
	if err := needTerminal(io); err != nil {
		return err
	}
	cf.busyFallback = true
	// One writer for the renderer and every escape sequence fsdeck sends
	// itself (OSC 52, OSC 9, kitty images), so none interleave.
	term := ui.NewTerminalWriter(terminalOut(io))
	// The terminal is asked about its images once the interface runs
	// (its replies come with the keys): the first frame never waits.
	cellSize, ask := terminalGraphics(io, term, f.Getenv)
	// The first frame is drawn before the session opens: what is slow
	// (the keyring, the local server, the ledger) opens meanwhile, and
	// the panes say "loading" until it has.
	opened := make(chan tuiOpened, 1)
	go func() {
		s, deps, err := openTUI(ctx, f, cf, startDir, term, cellSize)
		opened <- tuiOpened{s, deps, err}
	}()
	wait := sync.OnceValue(func() tuiOpened { return <-opened })
	boot := ui.NewBoot(func() (ui.Deps, error) { r := wait(); return r.deps, r.err }, startDir, ui.DefaultSettings())
	if ask != nil {
		boot.AskTerminal(ask)
	}
	if w, h, ok := terminalSize(io); ok {
		boot.SetSize(w, h)
	}
	final, err := runProgram(ctx, boot, io.In, term, f.Getenv)
	if fb, ok := final.(*ui.Boot); ok && fb.Model() != nil {
		// Let running transfers stop cleanly: uploads keep their journal
		// for the next start, journaled partial downloads are kept.
		fb.Model().Shutdown(3 * time.Second)
		if err == nil && cwdFile != "" {
			if werr := os.WriteFile(cwdFile, []byte(fb.Model().LocalDir()), 0o600); werr != nil {
				err = fmt.Errorf("--cwd-file: cannot write %s: %s", cwdFile, text.FSError(werr, false))
			}
		}
	}
	// Quit while loading: the session still opens, and is closed.
	r := wait()
	if r.s != nil {
		defer r.s.close()
	}
	if r.err != nil {
		return r.err
	}
	return err
}

// tuiOpened is what openTUI returned.
type tuiOpened struct {
	s    *session
	deps ui.Deps
	err  error
}

// openTUI opens the interface's session (the connection, the local server,
// the ledger, the targets and the engine) and its dependencies; it runs
// while the first frame is drawn.
func openTUI(ctx context.Context, f *Factory, cf connFlags, startDir string, term goio.Writer, cellSize func() ui.CellSize) (*session, ui.Deps, error) {
	s, err := openSessionDamaged(f, cf)
	if err != nil {
		return nil, ui.Deps{}, err
	}
	conn, cfg, paths := s.Conn, s.Config, s.Paths
	notice := conn.Notice
	if len(s.Warns) > 0 {
		notice = "config: " + s.Warns[0]
		if len(s.Warns) > 1 {
			notice += fmt.Sprintf(" (and %d more: run `fsdeck config check`)", len(s.Warns)-1)
		}
	}
	if d := s.Ledger.Damaged(); d != nil {
		notice = d.Error()
	}
	var secrets ui.SecretStore
	if conn.Keyring {
		secrets = f.Secrets()
	}
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
	eng := s.Engine(ctx, s.Root, sess.EngineOptions{FileConcurrency: settings.FileConcurrency, PartConcurrency: settings.PartConcurrency})
	return s, ui.Deps{Remote: conn.Client, Ledger: s.Ledger, Scope: conn.Scope, Mode: uiMode(conn), Endpoint: conn.Endpoint,
		Notice: notice, StartDir: startDir, Clipboard: term, CopyEnv: clipboardEnv(f.Getenv), Getenv: f.Getenv, CellSize: cellSize, Settings: settings, Context: ctx,
		SaveView: func(v store.ViewState) error { return saveView(viewFile, v) },
		Secrets:  secrets, FirstRun: s.FirstRun && conn.Local, KeyringProblem: conn.KeyringProblem,
		Connect: func(apiKey, secret string) (ui.Connection, error) {
			return cloudConnection(f.Getenv, cfg, apiKey, secret, 0)
		},
		Targets: targets, Target: startTarget(cf.target, viewFile, targets), ConnectTarget: s.connectTarget,
		SaveTarget: func(name string) error { return saveTarget(viewFile, name) }, Engine: eng}, nil
}

// cwdFilePath is --cwd-file made absolute (against the working directory
// fsdeck was started in), checked before the interface starts: its
// directory must exist, and it must not be a directory itself.
func cwdFilePath(workDir, arg string) (string, error) {
	if arg == "" {
		return "", nil
	}
	path := arg
	if !filepath.IsAbs(path) {
		if workDir == "" {
			wd, err := os.Getwd()
			if err != nil {
				return "", err
			}
			workDir = wd
		}
		path = filepath.Join(workDir, path)
	}
	if info, err := os.Stat(filepath.Dir(path)); err != nil || !info.IsDir() {
		return "", usageError("--cwd-file %s: the directory %s does not exist", arg, filepath.Dir(path))
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return "", usageError("--cwd-file %s is a directory; it takes a file name", arg)
	}
	return path, nil
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

// uiMode is the interface's name for where the connection points.
func uiMode(c *sess.Connection) ui.Mode {
	if c.Local {
		return ui.ModeLocal
	}
	return ui.ModeCloud
}

// cloudConnection is a client for Filestack itself (or the server
// $FSDECK_ENDPOINT names), as the interface's Connect gives it.
func cloudConnection(getenv func(string) string, cfg store.Config, apiKey, secret string, partSize int64) (ui.Connection, error) {
	c, err := sess.CloudConnection(getenv, cfg, apiKey, secret, partSize)
	if err != nil {
		return ui.Connection{}, err
	}
	return ui.Connection{Remote: c.Client, Scope: c.Scope, Endpoint: c.Endpoint}, nil
}
