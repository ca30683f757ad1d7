package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/assets"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/store"
)

// lockedBuffer is written by the server goroutine and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestUsageAndExitCodes(t *testing.T) {
	var out, errb bytes.Buffer
	ctx := context.Background()
	if err := runStd(ctx, []string{"version"}, nil, &out, &errb); err != nil || !strings.Contains(out.String(), "fsdeck "+version) {
		t.Fatalf("version: %v %q", err, out.String())
	}
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"key"}, 2, "set, delete or status"},
		{[]string{"key", "frobnicate"}, 2, "unknown key subcommand"},
		{[]string{"serve", "--fault", "put:bogus=1"}, 2, "unknown key"},
		{[]string{"serve", "--nope"}, 2, "unknown flag: --nope"},
		{[]string{"config", "wat"}, 2, "unknown config subcommand"},
		{[]string{"--local", "/definitely/not/here"}, 2, "is not a directory"},
	}
	for _, c := range cases {
		errb.Reset()
		err := runStd(ctx, c.args, strings.NewReader(""), io.Discard, &errb)
		if code := exitCode(err, &errb); code != c.code || !strings.Contains(errb.String(), c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errb.String(), c.code, c.msg)
		}
	}
}

func TestConfigCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FSDECK_CONFIG_DIR", dir)
	var out bytes.Buffer
	if err := runStd(context.Background(), []string{"config", "default"}, nil, &out, io.Discard); err != nil || !bytes.Equal(out.Bytes(), assets.DefaultConfig) {
		t.Fatal("config default differs from the embedded file")
	}
	out.Reset()
	if err := runStd(context.Background(), []string{"config", "init"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := runStd(context.Background(), []string{"config", "init"}, nil, &out, io.Discard); err == nil {
		t.Fatal("init overwrote an existing file")
	}
	os.WriteFile(filepath.Join(dir, "config.toml"), []byte("[transfers]\nfiles = 0\n"), 0o600)
	out.Reset()
	err := runStd(context.Background(), []string{"config", "check"}, nil, &out, io.Discard)
	if err == nil || !strings.Contains(out.String(), "config.toml:2: transfers.files:") {
		t.Fatalf("check: %v %q", err, out.String())
	}
}

// `fsdeck serve` prints its address and key, serves, and stops on cancel.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	data := t.TempDir()
	go func() {
		done <- runStd(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--apikey", "SERVEKEYxxxxxxxxxxxxxx", "--quiet"}, nil, out, io.Discard)
	}()
	re := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" || !strings.Contains(out.String(), "API key   SERVEKEYxxxxxxxxxxxxxx") {
		t.Fatalf("banner: %q", out.String())
	}
	res, err := http.Post(base+"/api/store/S3?key=SERVEKEYxxxxxxxxxxxxxx", "text/plain", strings.NewReader("hi"))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("store: %v %v", err, res)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
}

// fsdeck doctor: a healthy ledger is only reported on; a damaged one is
// backed up and rebuilt from what can be read, and the TUI's start path
// opens the damaged one read-only with a notice naming doctor.
func TestDoctor(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FSDECK_DATA_DIR", dir)
	t.Setenv("FSDECK_CONFIG_DIR", dir)
	ctx := context.Background()
	var out bytes.Buffer
	if err := runStd(ctx, []string{"doctor"}, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "no ledger") {
		t.Fatalf("no ledger: %v %q", err, out.String())
	}
	path := filepath.Join(dir, "ledger.db")
	l, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := store.Scope{Endpoint: "local", KeyFP: "k"}
	for i := 0; i < 2000; i++ {
		l.Add(ctx, sc, store.Entry{Handle: fmt.Sprintf("H%019d", i), Filename: strings.Repeat("n", 100)})
	}
	l.Close()
	out.Reset()
	if err := runStd(ctx, []string{"doctor"}, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "is healthy: 2000 files") {
		t.Fatalf("healthy: %v %q", err, out.String())
	}
	f, _ := os.OpenFile(path, os.O_WRONLY, 0)
	info, _ := f.Stat()
	f.WriteAt(bytes.Repeat([]byte{0xEE}, 2*4096), info.Size()/2)
	f.Close()
	// While another fsdeck has the ledger open, doctor refuses to replace
	// it, and leaves it as it was.
	paths := store.Paths{Data: dir, Config: dir}
	release, err := store.ShareLedger(paths, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = runStd(ctx, []string{"doctor"}, nil, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "quit it, then run fsdeck doctor again") || strings.Contains(out.String(), "backed up") {
		t.Fatalf("doctor beside a running fsdeck: %v %q", err, out.String())
	}
	if backups, _ := filepath.Glob(path + ".damaged-*"); len(backups) != 0 {
		t.Fatalf("doctor beside a running fsdeck made %v", backups)
	}
	release()
	// While doctor rebuilds, other fsdeck runs wait, then say why.
	release, err = store.OwnLedger(paths, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := runStd(ctx, []string{"ls"}, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "fsdeck doctor is rebuilding") {
		t.Fatalf("ls during a rebuild: %v", err)
	}
	if waited := time.Since(start); waited < 4*time.Second {
		t.Fatalf("ls gave up after %v instead of waiting for the rebuild", waited)
	}
	release()
	out.Reset()
	if err := runStd(ctx, []string{"doctor"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`backed up to .*ledger\.db\.damaged-\d{8}T\d{6}Z\nrebuilt .* with (\d+) files`)
	m := re.FindStringSubmatch(out.String())
	if m == nil || m[1] == "2000" || m[1] == "0" {
		t.Fatalf("doctor output %q", out.String())
	}
	out.Reset()
	if err := runStd(ctx, []string{"doctor"}, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "is healthy: "+m[1]+" files") {
		t.Fatalf("after rebuild: %v %q", err, out.String())
	}
}

// runStd runs fsdeck in-process with these streams, in the test process's
// environment (set with t.Setenv) and working directory.
func runStd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	f := systemFactory()
	f.IOStreams = iostreams.New(stdin, stdout, stderr)
	return run(ctx, f, args)
}
