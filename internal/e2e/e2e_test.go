// Package e2e holds the tests that must drive the built fsdeck binary or
// a real terminal: the golden copies of every command's help, usage
// errors and JSON output and of the interface in tmux, which pin down what
// a user and a script see so that a change of the code's layout cannot
// change it; the interface driven in tmux (TestRealTerminal*, commands
// beside a running interface); several fsdeck processes at once; what a
// process does with its environment (no D-Bus autolaunch) and its build
// (the revision -v names); the upload benchmarks against curl. The
// command tests themselves run in-process in internal/cli.
//
// It talks to the binary as a user or a script does; of fsdeck it imports
// only what a test needs to set up or inspect a data directory (store,
// the emulator's files, internal/text), never internal/cli.
package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// bin is the binary TestMain builds once.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fsdeck-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "fsdeck")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	// -buildvcs stamps the revision that -v prints (GOFLAGS may turn it
	// off); without a repository the build is retried without it.
	out, err := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "github.com/fsdeck/fsdeck").CombinedOutput()
	if err != nil {
		out, err = exec.Command("go", "build", "-buildvcs=false", "-o", bin, "github.com/fsdeck/fsdeck").CombinedOutput()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "building fsdeck: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// sandbox is one isolated user: private data, config and home
// directories, local mode on addr, no keyring and no Filestack key.
type sandbox struct {
	t    testing.TB
	root string
	data string
	cfg  string
	work string
	addr string
}

func newSandbox(t testing.TB, addr string) *sandbox {
	t.Helper()
	root := fixedLengthTempDir(t)
	s := &sandbox{t: t, root: root, data: filepath.Join(root, "data"), cfg: filepath.Join(root, "cfg"),
		work: filepath.Join(root, workTail), addr: addr}
	for _, d := range []string{s.data, s.cfg, s.work} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// fixedLengthTempDir is a new temporary directory whose path has the same
// length in every run, so that text truncated or padded around it lines up
// the same way in every golden copy.
func fixedLengthTempDir(t testing.TB) string {
	t.Helper()
	base := os.TempDir()
	// Resolved, so that the path fsdeck prints (after EvalSymlinks on a
	// macOS /var → /private/var) normalises like the one given.
	if r, err := filepath.EvalSymlinks(base); err == nil {
		base = r
	}
	for i := 0; i < 1000; i++ {
		dir := filepath.Join(base, fmt.Sprintf("fsdeck-e2e-%08d-%03d", os.Getpid()%100000000, (int(time.Now().UnixNano())+i)%1000))
		if err := os.Mkdir(dir, 0o700); err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	t.Fatal("no free temporary directory name")
	return ""
}

// workTail ends the work directory's path: long enough that a pane title,
// which keeps a path's end, shows none of the temporary directory's
// random name.
const workTail = "the-home-of-the-golden-tests/where-the-user-works/work"

// env is a clean environment: nothing of the caller's fsdeck settings,
// keys or session bus leaks in.
func (s *sandbox) env() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + s.root, "TERM=xterm-256color", "LANG=C.UTF-8",
		"XDG_RUNTIME_DIR=" + s.root, "XDG_DATA_HOME=" + filepath.Join(s.root, "xdg-data"),
		"XDG_CONFIG_HOME=" + filepath.Join(s.root, "xdg-config"), "XDG_CACHE_HOME=" + filepath.Join(s.root, "xdg-cache"),
		"FSDECK_DATA_DIR=" + s.data, "FSDECK_CONFIG_DIR=" + s.cfg, "FSDECK_LOCAL_ADDR=" + s.addr,
		"DBUS_SESSION_BUS_ADDRESS=disabled:", "TZ=UTC",
	}
}

// run runs fsdeck with args in the work directory and returns stdout,
// stderr and the exit status.
func (s *sandbox) run(stdin string, args ...string) (string, string, int) {
	s.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = s.env(), s.work
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		s.t.Fatalf("running fsdeck %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// file writes name under the work directory.
func (s *sandbox) file(name string, data []byte) string {
	s.t.Helper()
	p := filepath.Join(s.work, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		s.t.Fatal(err)
	}
	return p
}
