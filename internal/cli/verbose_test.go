package cli

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
)

// noSecrets fails when any of secrets, or a credential by name that is
// not REDACTED, shows in the log.
func noSecrets(t *testing.T, what, log string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(log, s) {
			t.Errorf("%s: a secret (%.4s…) is in the log:\n%s", what, s, log)
		}
	}
	named := regexp.MustCompile(`(?i)(policy|signature|key|secret|token|access_token|authorization|cookie)(=|: |:)([^&\s,/:]*)`)
	for _, m := range named.FindAllStringSubmatch(log, -1) {
		if v := m[3]; v != "" && v != "REDACTED" {
			t.Errorf("%s: %s%s%s is not redacted:\n%s", what, m[1], m[2], v, log)
		}
	}
}

// wireLines are the log's request lines (fsdeck: http: METHOD URL: …).
func wireLines(log string) []string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if rest, ok := strings.CutPrefix(l, "fsdeck: http: "); ok && !strings.HasPrefix(rest, "> ") && !strings.HasPrefix(rest, "< ") {
			out = append(out, rest)
		}
	}
	return out
}

// -v prints each request (method, URL, status, time) and --debug the
// headers too, on stderr, stdout unchanged; with a key, an app secret and
// a server wanting a signed policy on every request (policy and signature
// in every URL), no key, secret, policy, signature or Authorization value
// ever shows.
func TestVerboseAndDebugRedactSecrets(t *testing.T) {
	c := newCLI(t)
	addr := clitest.FreeAddr(t)
	const key, secret = "VerboseKeyOfTheServer000", "VerboseSecretOfServer0"
	srv := c.command("", "serve", "--addr", addr, "--data", t.TempDir(), "--security-required")
	srv.Env = append(srv.Env, envServeAPIKey+"="+key, envServeSecret+"="+secret)
	srv.Start()
	t.Cleanup(func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() })
	clitest.WaitListening(t, addr)
	run := func(args ...string) (string, string, int) {
		cmd := c.command("", args...)
		cmd.Env = append(cmd.Env, "FILESTACK_API_KEY="+key, "FILESTACK_APP_SECRET="+secret, "FSDECK_ENDPOINT=http://"+addr)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Run()
		return out.String(), errb.String(), cmd.ProcessState.ExitCode()
	}
	c.file("a.txt", []byte("hello verbose"))
	out, errOut, code := run("upload", "-v", "--json", "a.txt")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusStored {
		t.Fatalf("upload -v: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	lines := wireLines(errOut)
	reqLine := regexp.MustCompile(`^(GET|POST|PUT|HEAD|DELETE) http://` + regexp.QuoteMeta(addr) + `/\S*: \d{3} .* in \d+\.\dms$`)
	if len(lines) == 0 {
		t.Fatalf("upload -v logged no request:\n%s", errOut)
	}
	for _, l := range lines {
		if !reqLine.MatchString(l) {
			t.Errorf("upload -v: %q is not METHOD URL: STATUS in TIME", l)
		}
	}
	if strings.Contains(errOut, "fsdeck: http: > ") {
		t.Errorf("-v printed headers (only --debug does):\n%s", errOut)
	}
	noSecrets(t, "upload -v", errOut, key, secret)
	h := rs[0].Handle
	for _, args := range [][]string{
		{"stat", "--debug", h},
		{"get", "--debug", "--stdout", h},
		{"url", "--debug", "--signed", "1h", h},
		{"rm", "--debug", "--yes", h},
	} {
		out, errOut, code := run(args...)
		if code != 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
		if strings.Contains(out, "fsdeck: http:") {
			t.Errorf("%v: the log went to stdout: %q", args, out)
		}
		if args[0] != "url" && (len(wireLines(errOut)) == 0 || !strings.Contains(errOut, "fsdeck: http: > User-Agent: fsdeck/") || !strings.Contains(errOut, "fsdeck: http: < Content-Type: ")) {
			t.Errorf("%v: no request with its headers logged:\n%s", args, errOut)
		}
		noSecrets(t, strings.Join(args, " "), errOut, key, secret)
	}
}

// The hosting targets' requests are logged the same way, and their keys
// (in a query, a form, a Bearer token or a cookie, as a server with
// --security-required wants them) never show.
func TestDebugRedactsHostingKeys(t *testing.T) {
	c := newCLI(t)
	c.serveWith(t, "--security-required")
	creds, err := sess.LoadOrCreateCreds(filepath.Join(c.data, "local-server"))
	if err != nil {
		t.Fatal(err)
	}
	c.file("p.png", clitest.PNG(t))
	c.file("n.txt", []byte("notes\n"))
	for _, tc := range []struct{ target, file string }{
		{"imgbb", "p.png"}, {"gyazo", "p.png"}, {"pastebin", "n.txt"}, {"gofile", "p.png"}, {"ddownload", "n.txt"},
	} {
		out, errOut, code := c.run("", "upload", "--debug", "--to", tc.target, "--json", tc.file)
		rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
		if code != 0 || len(rs) != 1 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", tc.target, code, out, errOut)
			continue
		}
		if len(wireLines(errOut)) == 0 {
			t.Errorf("%s: no request logged:\n%s", tc.target, errOut)
		}
		noSecrets(t, tc.target, errOut, creds.APIKey, creds.AppSecret)
		if tc.target == "imgbb" || tc.target == "gyazo" || tc.target == "pastebin" {
			_, errOut, _ = c.run("", "get", "--debug", "--to", tc.target, "--stdout", rs[0].Handle)
			noSecrets(t, tc.target+" get", errOut, creds.APIKey, creds.AppSecret)
		}
	}
}

// hangingServer accepts connections and never answers.
func hangingServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// --timeout bounds the whole command: a server that never answers ends
// the run after it with status 4 (the network's: worth running again),
// saying so, for a per-handle command and for the engine's uploads.
func TestTimeoutWholeCommandExit4(t *testing.T) {
	addr := hangingServer(t)
	for _, args := range [][]string{
		{"stat", "--timeout", "1s", "--json", "AAAAAAAAAAAAAAAAAAAA"},
		{"upload", "--timeout", "1s", "--json", "a.txt"},
	} {
		c := newCLI(t)
		c.file("a.txt", []byte("hello"))
		cmd := c.command("", args...)
		cmd.Env = append(cmd.Env, "FILESTACK_API_KEY=SomeKeyOfAHangingServer0", "FSDECK_ENDPOINT=http://"+addr)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		start := time.Now()
		cmd.Run()
		took := time.Since(start)
		if code := cmd.ProcessState.ExitCode(); code != 4 || !strings.Contains(errb.String(), "gave up after --timeout 1s") || took > 15*time.Second {
			t.Errorf("%v against a server that never answers: exit %d after %v, stdout %q, stderr %q", args, code, took, out.String(), errb.String())
		}
	}
	c := newCLI(t)
	for _, bad := range []string{"0s", "-1s", "soon"} {
		if _, errOut, code := c.run("", "ls", "--timeout", bad); code != 2 || !strings.Contains(errOut, "--timeout") {
			t.Errorf("ls --timeout %s: exit %d, stderr %q", bad, code, errOut)
		}
	}
}

// --retries N tries a failing request N more times (the client's default
// is 7 more, with backoff), and -v shows each try.
func TestRetries(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	for _, n := range []struct {
		flag string
		want int32
	}{{"0", 1}, {"2", 3}} {
		hits.Store(0)
		c := newCLI(t)
		cmd := c.command("", "stat", "-v", "--retries", n.flag, "AAAAAAAAAAAAAAAAAAAA")
		cmd.Env = append(cmd.Env, "FILESTACK_API_KEY=SomeKeyOfABusyServer0000", "FSDECK_ENDPOINT="+srv.URL)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		cmd.Run()
		logged := 0
		for _, l := range wireLines(errb.String()) {
			if strings.Contains(l, ": 503 ") {
				logged++
			}
		}
		if got := hits.Load(); got != n.want || logged != int(n.want) || cmd.ProcessState.ExitCode() != 1 {
			t.Errorf("--retries %s: %d requests (%d logged), exit %d, want %d: %s", n.flag, got, logged, cmd.ProcessState.ExitCode(), n.want, errb.String())
		}
	}
	c := newCLI(t)
	if _, errOut, code := c.run("", "stat", "--retries", "-2", "AAAAAAAAAAAAAAAAAAAA"); code != 2 || !strings.Contains(errOut, "--retries") {
		t.Errorf("--retries -2: exit %d, stderr %q", code, errOut)
	}
}

// --progress draws the progress block when stderr is not a terminal,
// --no-progress keeps it off on one; both at once is a usage error.
func TestProgressFlags(t *testing.T) {
	c := newCLI(t)
	c.file("a.txt", []byte("progress"))
	runTTY := func(tty bool, args ...string) (string, int) {
		ios, _, out, errb := iostreams.Test()
		ios.SetStderrTTY(tty)
		f := &Factory{IOStreams: ios, Getenv: getenv(c.env()), WorkDir: c.dir}
		code := Run(context.Background(), f, args)
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		_ = out
		return errb.String(), code
	}
	if errOut, code := runTTY(false, "upload", "--progress", "-q", "a.txt"); code != 0 || !strings.Contains(errOut, "Transferred") {
		t.Errorf("upload --progress, stderr not a terminal: exit %d, stderr %q", code, errOut)
	}
	if errOut, code := runTTY(true, "upload", "--no-progress", "-q", "a.txt"); code != 0 || strings.Contains(errOut, "Transferred") {
		t.Errorf("upload --no-progress on a terminal: exit %d, stderr %q", code, errOut)
	}
	if errOut, code := runTTY(false, "upload", "--progress", "--no-progress", "a.txt"); code != 2 || !strings.Contains(errOut, "--no-progress") {
		t.Errorf("--progress --no-progress: exit %d, stderr %q", code, errOut)
	}
}
