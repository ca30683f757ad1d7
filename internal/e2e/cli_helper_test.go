package e2e

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// cli runs the binary with private data and config directories, local
// mode on a free port (or addr) and no Filestack key.
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
			"FSDECK_ALLOW_PRIVATE_URLS", "FSDECK_SERVE_APIKEY", "FSDECK_SERVE_SECRET":
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

func (c *cli) command(stdin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = c.env(), c.dir
	cmd.Stdin = strings.NewReader(stdin)
	return cmd
}

// run returns stdout, stderr and the exit status.
func (c *cli) run(stdin string, args ...string) (string, string, int) {
	c.t.Helper()
	cmd := c.command(stdin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("running fsdeck %v: %v", args, err)
	}
	return out.String(), errb.String(), code
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

// result is one --json line of a command, as scripts read it (README,
// "Scripting").
type result struct {
	Handle   string `json:"handle"`
	URL      string `json:"url"`
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
	Type     string `json:"type"`
	Path     string `json:"path"`
	Status   string `json:"status"`
	Error    string `json:"error"`
	Target   string `json:"target"`
}

// Result statuses the tests here look for.
const (
	statusStored  = "stored"
	statusResumed = "resumed"
	statusFailed  = "failed"
	statusSaved   = "saved"
)

// serve runs `fsdeck serve` on c's data directory at a free address with
// the given faults, and points c's local mode at it. Parts are sent one at
// a time (config.toml), so an interrupt lands mid-file.
func (c *cli) serve(t testing.TB, faults ...string) *clitest.ServeLog {
	t.Helper()
	var args []string
	for _, f := range faults {
		args = append(args, "--fault", f)
	}
	return c.serveWith(t, args...)
}

// serveWith is serve with any further flags of fsdeck serve.
func (c *cli) serveWith(t testing.TB, flags ...string) *clitest.ServeLog {
	t.Helper()
	c.addr = clitest.FreeAddr(t)
	os.WriteFile(c.cfg+"/config.toml", []byte("[transfers]\nparts = 1\npart_size_mib = 5\n"), 0o600)
	args := append([]string{"serve", "--addr", c.addr}, flags...)
	srv := c.command("", args...)
	pr, pw := io.Pipe()
	srv.Stderr, srv.Stdout = pw, io.Discard
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	log := &clitest.ServeLog{}
	go log.Follow(pr)
	t.Cleanup(func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait(); pw.Close() })
	clitest.WaitListening(t, c.addr)
	return log
}

// localCreds are the local server's key and secret as credentials.json
// keeps them.
type localCreds struct {
	APIKey    string `json:"apikey"`
	AppSecret string `json:"secret"`
}
