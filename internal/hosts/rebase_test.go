package hosts_test

import (
	"testing"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// RebaseLocal moves an emulator's URL to the local server's current
// address, keeping everything after the host byte for byte; what is not
// the named emulator's URL is left alone.
func TestRebaseLocal(t *testing.T) {
	const now = "http://127.0.0.1:7337"
	for _, c := range []struct{ name, in, want string }{
		{"imgbb", "http://127.0.0.1:33335/imgbb/i/abc/a%20b.png", now + "/imgbb/i/abc/a%20b.png"},
		{"imgbb", "http://localhost:9/imgbb/v/abc?x=1#y", now + "/imgbb/v/abc?x=1#y"},
		{"pastebin", "https://[::1]:8443/pastebin/raw/Xy", now + "/pastebin/raw/Xy"},
		{"ddownload", "http://127.0.0.1:1/ddownload/f/code", now + "/ddownload/f/code"},
		{"imgbb", "http://127.0.0.1:33335/gyazo/i/abc.png", "http://127.0.0.1:33335/gyazo/i/abc.png"}, // another emulator's
		{"imgbb", "http://127.0.0.1:33335/imgbbX/i/a", "http://127.0.0.1:33335/imgbbX/i/a"},
		{"imgbb", "http://127.0.0.1:33335/imgbb", "http://127.0.0.1:33335/imgbb"},
		{"imgbb", "https://i.ibb.co/abc/a.png", "https://i.ibb.co/abc/a.png"}, // the real service
		{"imgbb", "ftp://127.0.0.1:33335/imgbb/i/a", "ftp://127.0.0.1:33335/imgbb/i/a"},
		{"imgbb", "http://user@127.0.0.1:33335/imgbb/i/a", "http://user@127.0.0.1:33335/imgbb/i/a"},
		{"imgbb", "", ""},
		{"imgbb", "/imgbb/i/a", "/imgbb/i/a"},
	} {
		if got := hosts.RebaseLocal(c.name, c.in, now); got != c.want {
			t.Errorf("RebaseLocal(%q, %q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
	for _, server := range []string{"", "127.0.0.1:7337", "http://", "http://h/p", "gopher://h:1"} {
		if in := "http://127.0.0.1:1/imgbb/i/a"; hosts.RebaseLocal("imgbb", in, server) != in {
			t.Errorf("server %q: rebased to %q", server, hosts.RebaseLocal("imgbb", in, server))
		}
	}
	if got := hosts.RebaseLocal("imgbb", "http://127.0.0.1:1/imgbb/i/a", now+"/"); got != now+"/imgbb/i/a" {
		t.Errorf("server with a trailing slash: %q", got)
	}
}
