package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fsdeck/fsdeck/internal/iostreams"
)

// cli runs fsdeck's commands in-process (cli.Run) with private data and
// config directories, local mode on a free port (or addr), no Filestack
// key and no session bus: its streams, environment and working directory
// are its own (a Factory), not the test process's.
type cli struct {
	t         testing.TB
	data, cfg string
	addr      string
	dir       string // working directory
	// extraEnv is added after the isolated environment (NAME=value).
	extraEnv []string
}

func newCLI(t testing.TB) *cli {
	t.Helper()
	root := t.TempDir()
	c := &cli{t: t, data: filepath.Join(root, "data"), cfg: filepath.Join(root, "cfg"), addr: "127.0.0.1:0", dir: filepath.Join(root, "work")}
	os.MkdirAll(c.dir, 0o755)
	os.MkdirAll(c.cfg, 0o700)
	return c
}

func (c *cli) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "FILESTACK_API_KEY", "FILESTACK_APP_SECRET", "FSDECK_DATA_DIR", "FSDECK_CONFIG_DIR", "FSDECK_LOCAL_ADDR", "DBUS_SESSION_BUS_ADDRESS",
			"FSDECK_ALLOW_PRIVATE_URLS", envServeAPIKey, envServeSecret:
			continue
		}
		env = append(env, kv)
	}
	// No session bus: unset, D-Bus clients autolaunch a dbus-daemon per
	// process (dbus-launch), which outlives the test and holds an inotify
	// instance; 128 of them starve every later watcher on the machine.
	return append(append(env, "FSDECK_DATA_DIR="+c.data, "FSDECK_CONFIG_DIR="+c.cfg, "FSDECK_LOCAL_ADDR="+c.addr,
		"DBUS_SESSION_BUS_ADDRESS=disabled:"), c.extraEnv...)
}

// command is one run of fsdeck, ready to start, with the parts of
// exec.Cmd the tests use: Env is added to the isolated environment, and
// Process.Signal ends the run as a signal ends the binary (main turns
// SIGINT, SIGTERM and SIGHUP into the cancelled context Run gets).
func (c *cli) command(stdin string, args ...string) *command {
	return &command{c: c, args: args, Env: c.env(), Stdin: strings.NewReader(stdin), Stdout: io.Discard, Stderr: io.Discard}
}

// run returns stdout, stderr and the exit status.
func (c *cli) run(stdin string, args ...string) (string, string, int) {
	c.t.Helper()
	cmd := c.command(stdin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Run()
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// command is an in-process run of fsdeck (see cli.command).
type command struct {
	c      *cli
	args   []string
	Env    []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// StdinTTY makes standard input count as a terminal (a person there
	// to answer a question).
	StdinTTY bool
	// Process and ProcessState are set by Start and by Wait.
	Process      *process
	ProcessState *processState
	done         chan int
}

// process is a started command's handle.
type process struct{ cancel context.CancelCauseFunc }

// Signal ends the run as main does on SIGINT, SIGTERM and SIGHUP: the
// context cancelled with the signal as its cause.
func (p *process) Signal(sig os.Signal) error { p.cancel(SignalError{Signal: sig}); return nil }

// Kill ends the run.
func (p *process) Kill() error { p.cancel(nil); return nil }

// processState is a finished command's exit status.
type processState struct{ code int }

// ExitCode is the exit status.
func (p *processState) ExitCode() int { return p.code }

// getenv reads an environment list as the process would (the last
// NAME=value wins).
func getenv(env []string) func(string) string {
	m := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return func(k string) string { return m[k] }
}

// Start runs the command in a goroutine.
func (cmd *command) Start() error {
	ctx, cancel := context.WithCancelCause(context.Background())
	cmd.Process, cmd.done = &process{cancel: cancel}, make(chan int, 1)
	f := &Factory{IOStreams: iostreams.New(cmd.Stdin, cmd.Stdout, cmd.Stderr), Getenv: getenv(cmd.Env), WorkDir: cmd.c.dir}
	if cmd.StdinTTY {
		f.IOStreams.SetStdinTTY(true)
	}
	go func() {
		defer cancel(nil)
		code := Run(ctx, f, cmd.args)
		// A process's connections end with it: the hosting targets' clients
		// share http.DefaultTransport, whose idle connections to this run's
		// local server (stopped now) would otherwise meet the next run's
		// first request with EOF.
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		cmd.done <- code
	}()
	return nil
}

// Wait waits for the run to end; a non-zero exit status is an error, as
// with exec.Cmd.
func (cmd *command) Wait() error {
	code := <-cmd.done
	cmd.ProcessState = &processState{code: code}
	if code != 0 {
		return fmt.Errorf("exit status %d", code)
	}
	return nil
}

// Run starts the command and waits for it.
func (cmd *command) Run() error {
	cmd.Start()
	return cmd.Wait()
}

// CombinedOutput runs the command and returns stdout and stderr together.
func (cmd *command) CombinedOutput() ([]byte, error) {
	var b lockedBuffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return []byte(b.String()), err
}

// file writes a file under the working directory and returns its
// absolute path.
func (c *cli) file(name string, data []byte) string {
	c.t.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		c.t.Fatal(err)
	}
	return p
}

// newCLIAddrHeld is a cli whose local mode's address is held by another
// program (an HTTP server that is not fsdeck): a command that gets as far
// as its session stops there with status 1, so a check that must come
// before the session shows as status 2 only if it does.
func newCLIAddrHeld(t testing.TB) *cli {
	t.Helper()
	holder := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(holder.Close)
	c := newCLI(t)
	c.addr = holder.Listener.Addr().String()
	return c
}

// noDataDir fails the test if a command made the data directory.
func (c *cli) noDataDir() {
	c.t.Helper()
	if _, err := os.Stat(c.data); !os.IsNotExist(err) {
		c.t.Errorf("the data directory was made: %v", err)
	}
}

// skipUnlessUTF8TempDir skips a test of file names that are not UTF-8
// where the temporary directory's own path is not UTF-8 either.
func skipUnlessUTF8TempDir(t testing.TB) {
	t.Helper()
	if !utf8.ValidString(filepath.Join(os.TempDir(), "x")) {
		t.Skip("temp dir is not UTF-8")
	}
}

// uploadOne uploads path with `upload -q` (local mode at c.addr) and
// returns its handle, failing the test if it was not stored.
func (c *cli) uploadOne(path string) string {
	c.t.Helper()
	out, errOut, code := c.run("", "upload", "-q", path)
	h := strings.TrimSpace(out)
	if code != 0 || h == "" {
		c.t.Fatalf("upload: %d %q %q", code, out, errOut)
	}
	return h
}

func byPath(rs []result) map[string]result {
	m := map[string]result{}
	for _, r := range rs {
		m[r.Path] = r
	}
	return m
}
