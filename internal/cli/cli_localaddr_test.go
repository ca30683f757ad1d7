package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
)

// TestParallelLocalUploads: eight `fsdeck upload` processes at once in
// local mode, with no `fsdeck serve` running (`ls *.bin | xargs -P8 -n1
// fsdeck upload -q`). The first serves the local address and the others
// use its server; when it exits, one of them takes the address over (and
// so on down the line), and the rest carry on through their retries.
// Every upload ends 0, and every file comes back byte-exact.
func TestParallelLocalUploads(t *testing.T) {
	c := newCLI(t)
	c.addr = freeAddr(t)
	const n = 8
	want := map[string][]byte{}
	var names []string
	for i := range n {
		// Each size different; the first (the one serving) is small, so
		// it exits while the others are still sending their parts.
		size := (6 + 2*i) << 20
		if i == 0 {
			size = 64 << 10
		}
		data := make([]byte, size)
		rand.NewChaCha8(sha256.Sum256([]byte(fmt.Sprint(t.Name(), i)))).Read(data)
		name := fmt.Sprintf("f%d.bin", i)
		c.file(name, data)
		want[name] = data
		names = append(names, name)
	}
	type proc struct {
		cmd      *exec.Cmd
		out, err bytes.Buffer
		done     chan error
	}
	start := func(name string) *proc {
		p := &proc{cmd: c.command("", "upload", "-q", "--part-size", "5MiB", name), done: make(chan error, 1)}
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { p.done <- p.cmd.Wait() }()
		return p
	}
	// The first process is held once its server is up (its first ledger
	// write waits for this transaction), until the others have opened the
	// ledger, which they do after choosing their server: so they all use
	// the first one's, and it exits while they are still sending.
	release := holdLedger(t, filepath.Join(c.data, "ledger.db"))
	procs := []*proc{start(names[0])}
	waitServing(t, c.addr, procs[0].done)
	for _, name := range names[1:] {
		procs = append(procs, start(name))
	}
	for deadline := time.Now().Add(4 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		opened := 0
		for _, p := range procs[1:] {
			if hasOpen(p.cmd.Process.Pid, "ledger.db") {
				opened++
			}
		}
		if opened == len(procs)-1 {
			break
		}
	}
	release()
	var handles []string
	for i, p := range procs {
		select {
		case err := <-p.done:
			if err != nil {
				t.Errorf("upload %s: %v\nstderr: %s", names[i], err, p.err.String())
				continue
			}
		case <-time.After(3 * time.Minute):
			p.cmd.Process.Kill()
			t.Fatalf("upload %s did not end; stderr: %s", names[i], p.err.String())
		}
		h := strings.TrimSpace(p.out.String())
		if len(h) != 20 {
			t.Errorf("upload %s printed %q (stderr %q)", names[i], p.out.String(), p.err.String())
			continue
		}
		handles = append(handles, h)
	}
	if t.Failed() {
		return
	}
	dl := t.TempDir()
	if _, errOut, code := c.run("", append([]string{"get", "-q", "-o", dl}, handles...)...); code != 0 {
		t.Fatalf("get: exit %d: %s", code, errOut)
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(dl, name))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: stored bytes differ from the file (%d of %d bytes, %v)", name, len(got), len(data), err)
		}
	}
}

// waitServing waits until an fsdeck server answers at addr, or the process
// that would serve it has ended (done; its error is put back).
func waitServing(t *testing.T, addr string, done chan error) {
	t.Helper()
	hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			done <- err
			return
		default:
		}
		if res, err := hc.Get("http://" + addr + "/"); err == nil {
			res.Body.Close()
			if res.Header.Get("Server") == emulator.ServerName {
				return
			}
		}
	}
	t.Fatalf("nothing served %s within a minute", addr)
}

// holdLedger creates the ledger and holds its write lock until release
// (at most a few seconds: fsdeck waits 10 s for it).
func holdLedger(t *testing.T, path string) (release func()) {
	t.Helper()
	l, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err == nil {
		_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	}
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(ctx, "ROLLBACK")
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// hasOpen reports whether process pid has a file named name open (Linux
// /proc; elsewhere it says yes at once).
func hasOpen(pid int, name string) bool {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	fds, err := os.ReadDir(dir)
	if err != nil {
		return runtime.GOOS != "linux"
	}
	for _, fd := range fds {
		if link, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && filepath.Base(link) == name {
			return true
		}
	}
	return false
}

// TestHeadlessRefusesBusyAddr: with the local address held by something
// that is not fsdeck, headless commands exit 1 before sending anything
// (no upload reaches the holder, nothing is printed on stdout), naming the
// address, what answers there, the process holding it (Linux: this test
// itself), and how to choose another address. Before, upload exited 0 with
// a URL on a port that closed with it.
func TestHeadlessRefusesBusyAddr(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	holder := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Server", "holder-test/1.0")
		http.NotFound(w, r)
	}))
	defer holder.Close()
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		// Accepts and never answers, as a program speaking another
		// protocol might.
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			conn, err := silent.Accept()
			if err != nil {
				return
			}
			conns = append(conns, conn)
		}
	}()
	for _, tc := range []struct {
		addr, what string
		args       []string
	}{
		{holder.Listener.Addr().String(), "an HTTP server that is not fsdeck (Server: holder-test/1.0)", []string{"upload", "-q", "a.txt"}},
		{holder.Listener.Addr().String(), "an HTTP server that is not fsdeck (Server: holder-test/1.0)", []string{"upload", "--to", "pastebin", "a.txt"}},
		{holder.Listener.Addr().String(), "an HTTP server that is not fsdeck (Server: holder-test/1.0)", []string{"ls"}},
		{silent.Addr().String(), "a program that accepts connections but gives no HTTP answer", []string{"upload", "-q", "a.txt"}},
	} {
		c := newCLI(t)
		c.addr = tc.addr
		c.file("a.txt", []byte("hello\n"))
		out, errOut, code := c.run("", tc.args...)
		t.Logf("%v: %s", tc.args, errOut)
		if code != 1 || out != "" {
			t.Errorf("%v on a busy %s: exit %d, stdout %q, stderr %q", tc.args, tc.addr, code, out, errOut)
			continue
		}
		want := []string{tc.addr + " is in use by ", tc.what, "nothing was sent", "--addr HOST:PORT", "[local] addr in config.toml"}
		if runtime.GOOS == "linux" {
			want = append(want, fmt.Sprintf("(pid %d)", os.Getpid()))
		}
		for _, w := range want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr lacks %q: %q", tc.args, w, errOut)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, r := range seen {
		if !strings.HasPrefix(r, "GET /api/file/") {
			t.Errorf("the holder got %s: only the probe asking what it is may reach it", r)
		}
	}
}

// TestCLILocalTargetURLsFollowThePort: uploads to every hosting target's
// emulator under one local address, then a server on another: url (and
// each --as link), ls and get give and use the current port, and a URL
// given as recorded under the old port still names its upload. Before,
// they printed and fetched the dead port's URLs ("connection refused").
func TestCLILocalTargetURLsFollowThePort(t *testing.T) {
	c := newCLI(t)
	c.addr = freeAddr(t)
	pic, text := pngFile(t), []byte("notes ✓\nsecond line\n")
	c.file("p.png", pic)
	c.file("n.txt", text)
	type upload struct {
		target, id, url string
		data            []byte
		servesBytes     bool
	}
	var ups []upload
	for _, u := range []upload{{target: "imgbb", data: pic, servesBytes: true}, {target: "gyazo", data: pic, servesBytes: true},
		{target: "pastebin", data: text, servesBytes: true}, {target: "gofile", data: pic}, {target: "ddownload", data: text}} {
		file := map[bool]string{true: "p.png", false: "n.txt"}[bytes.Equal(u.data, pic)]
		out, errOut, code := c.run("", "upload", "--to", u.target, "--json", file)
		rs := jsonLines(t, out)
		if code != 0 || len(rs) != 1 || !strings.HasPrefix(rs[0].URL, "http://"+c.addr+"/"+u.target+"/") {
			t.Fatalf("%s: upload exit %d %q: %+v", u.target, code, errOut, rs)
		}
		u.id, u.url = rs[0].Handle, rs[0].URL
		ups = append(ups, u)
	}
	old := c.addr
	c.serve(t) // another port from now on, kept up so its URLs answer
	for _, u := range ups {
		now := "http://" + c.addr + "/" + u.target + "/"
		for _, arg := range []string{u.id, u.url} {
			out, errOut, code := c.run("", "url", "--to", u.target, arg)
			if code != 0 || !strings.HasPrefix(out, now) || strings.Contains(out, old) {
				t.Errorf("%s: url %s: exit %d %q %q, want under %s", u.target, arg, code, out, errOut, now)
			}
		}
		_, usage, _ := c.run("", "url", "--to", u.target, u.id, "--as", "no-such-form")
		_, labels, ok := strings.Cut(strings.TrimSpace(usage), " upload has ")
		if !ok {
			t.Fatalf("%s: --as lists no forms: %q", u.target, usage)
		}
		for _, label := range strings.Split(labels, ", ")[5:] { // after url, handle, markdown, html, curl
			out, errOut, code := c.run("", "url", "--to", u.target, u.id, "--as", label)
			link := strings.TrimSpace(out)
			if code != 0 || (link != "" && !strings.HasPrefix(link, now)) {
				t.Errorf("%s: url --as %s: exit %d %q %q, want under %s", u.target, label, code, out, errOut, now)
				continue
			}
			if link == "" || label == "delete" {
				continue
			}
			if res, err := http.Get(link); err != nil || res.StatusCode != http.StatusOK {
				t.Errorf("%s: %s link %s does not answer: %v %v", u.target, label, link, err, res)
			} else {
				res.Body.Close()
			}
		}
		ls, _, _ := c.run("", "ls", "--to", u.target, "--json")
		if l := jsonLines(t, ls); len(l) != 1 || !strings.HasPrefix(l[0].URL, now) {
			t.Errorf("%s: ls %+v", u.target, l)
		}
		got, errOut, code := c.run("", "get", "--to", u.target, "--stdout", u.id)
		switch {
		case u.servesBytes && (code != 0 || !bytes.Equal([]byte(got), u.data)):
			t.Errorf("%s: get exit %d %q: %d bytes, want %d exactly", u.target, code, errOut, len(got), len(u.data))
		case !u.servesBytes && (code == 0 || !strings.Contains(errOut, "open "+now)):
			t.Errorf("%s: get exit %d %q, want it to name the page under %s", u.target, code, errOut, now)
		}
	}
}
