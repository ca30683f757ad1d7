package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	// CwdFile receives the local pane's directory on quit ("": none), for
	// a shell function that goes there (lf's -last-dir-path, yazi's
	// --cwd-file).
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
	s, err := openSessionDamaged(f, cf)
	if err != nil {
		return err
	}
	defer s.close()
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
	// One writer for the renderer and every escape sequence fsdeck sends
	// itself (OSC 52, OSC 9, kitty images), so none interleave.
	term := ui.NewTerminalWriter(terminalOut(io))
	settings := ui.SettingsFrom(cfg)
	cellSize, sixel := terminalGraphics(io, f.Getenv)
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
	m := ui.New(ui.Deps{Remote: conn.Client, Ledger: s.Ledger, Scope: conn.Scope, Mode: uiMode(conn), Endpoint: conn.Endpoint,
		Notice: notice, StartDir: startDir, Clipboard: term, CopyEnv: clipboardEnv(f.Getenv), Getenv: f.Getenv, CellSize: cellSize, Sixel: sixel, Settings: settings, Context: ctx,
		SaveView: func(v store.ViewState) error { return saveView(viewFile, v) },
		Secrets:  secrets, FirstRun: s.FirstRun && conn.Local, KeyringProblem: conn.KeyringProblem,
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
		if err == nil && cwdFile != "" {
			if werr := os.WriteFile(cwdFile, []byte(fm.LocalDir()), 0o600); werr != nil {
				return fmt.Errorf("--cwd-file: cannot write %s: %s", cwdFile, text.FSError(werr, false))
			}
		}
	}
	return err
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
