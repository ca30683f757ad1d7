package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// store-url of a loopback URL (here a file of the running fsdeck serve
// itself) through a running `fsdeck serve` started without
// --allow-private-urls: the remedy given is the one that works there,
// restarting it with the flag, not FSDECK_ALLOW_PRIVATE_URLS, which
// reaches only a server the command starts (and is said to have no effect
// when set).
func TestCLIStoreURLPrivateRemedyForRunningServe(t *testing.T) {
	c := newCLI(t)
	c.serve(t)
	c.file("f.txt", []byte("served"))
	out, errOut, code := c.run("", "upload", "-q", "f.txt")
	h := strings.TrimSpace(out)
	if code != 0 || h == "" {
		t.Fatalf("upload: %d %q %q", code, out, errOut)
	}
	own := "http://" + c.addr + "/" + h
	for _, env := range [][]string{nil, {"FSDECK_ALLOW_PRIVATE_URLS=1"}} {
		c.extraEnv = env
		out, errOut, code = c.run("", "store-url", "-q", own)
		if code != 1 || out != "" {
			t.Fatalf("env %v: exit %d, stdout %q, stderr %q", env, code, out, errOut)
		}
		if !strings.Contains(errOut, "the fsdeck server already running at "+c.addr+" refuses it: restart it with `fsdeck serve --allow-private-urls`") ||
			strings.Contains(errOut, "set FSDECK_ALLOW_PRIVATE_URLS=1") {
			t.Errorf("env %v: stderr %q; want the serve flag as the remedy", env, errOut)
		}
	}
}

// Without a running server, local mode's server is this command's: there
// FSDECK_ALLOW_PRIVATE_URLS=1 is the remedy, and it works.
func TestCLIStoreURLPrivateRemedyInProcess(t *testing.T) {
	c := newCLI(t)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("body")) }))
	defer src.Close()
	_, errOut, code := c.run("", "store-url", src.URL+"/x.txt")
	if code != 1 || !strings.Contains(errOut, "local mode's server runs in this command: set FSDECK_ALLOW_PRIVATE_URLS=1 to allow it") ||
		strings.Contains(errOut, "--allow-private-urls") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	c.extraEnv = []string{"FSDECK_ALLOW_PRIVATE_URLS=1"}
	if out, errOut, code := c.run("", "store-url", "-q", src.URL+"/x.txt"); code != 0 || len(strings.TrimSpace(out)) != 20 {
		t.Errorf("with FSDECK_ALLOW_PRIVATE_URLS=1: exit %d, %q %q", code, out, errOut)
	}
}
