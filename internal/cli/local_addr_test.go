package cli

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

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
	c.addr = clitest.FreeAddr(t)
	pic, text := clitest.PNG(t), []byte("notes ✓\nsecond line\n")
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
		rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
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
		if l := clitest.JSONLines[result](t, ls, clitest.ResultFields...); len(l) != 1 || !strings.HasPrefix(l[0].URL, now) {
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
