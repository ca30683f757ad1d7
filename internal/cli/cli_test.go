package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// testBin is the binary TestMain builds once for the subprocess tests.
var testBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fsdeck-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin := filepath.Join(dir, "fsdeck")
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
	testBin = bin
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

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

func (c *cli) command(stdin string, args ...string) *exec.Cmd {
	cmd := exec.Command(testBin, args...)
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

// jsonLines decodes JSON Lines output strictly: every field present.
func jsonLines(t *testing.T, out string) []result {
	t.Helper()
	var rs []result
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		for _, k := range []string{"handle", "url", "filename", "size", "type", "path", "status", "error"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("field %q missing in %s", k, line)
			}
		}
		var r result
		json.Unmarshal([]byte(line), &r)
		rs = append(rs, r)
	}
	return rs
}

func byPath(rs []result) map[string]result {
	m := map[string]result{}
	for _, r := range rs {
		m[r.Path] = r
	}
	return m
}

// freeAddr is a loopback address nothing listens on right now.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func netDial(addr string) (net.Conn, error) { return net.DialTimeout("tcp", addr, time.Second) }
