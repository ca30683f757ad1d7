package text

import "testing"

// RebaseURL moves a URL under the prefix to the server, byte for byte
// after the host, and leaves every other URL or server form alone.
func TestRebaseURL(t *testing.T) {
	const now = "http://127.0.0.1:7337"
	for _, c := range []struct{ in, prefix, server, want string }{
		{"http://127.0.0.1:1/imgbb/i/a%20b?x=1#y", "/imgbb/", now, now + "/imgbb/i/a%20b?x=1#y"},
		{"https://[::1]:8443/gofile/d/x", "/gofile/", now + "/", now + "/gofile/d/x"},
		{"http://127.0.0.1:1/imgbbX/i/a", "/imgbb/", now, "http://127.0.0.1:1/imgbbX/i/a"},
		{"http://127.0.0.1:1/imgbb/i/a", "", now, "http://127.0.0.1:1/imgbb/i/a"},
		{"http://u@127.0.0.1:1/imgbb/i/a", "/imgbb/", now, "http://u@127.0.0.1:1/imgbb/i/a"},
		{"ftp://127.0.0.1:1/imgbb/i/a", "/imgbb/", now, "ftp://127.0.0.1:1/imgbb/i/a"},
		{"http://127.0.0.1:1/imgbb/i/a", "/imgbb/", "127.0.0.1:7337", "http://127.0.0.1:1/imgbb/i/a"},
		{"http://127.0.0.1:1/imgbb/i/a", "/imgbb/", "http://h/p", "http://127.0.0.1:1/imgbb/i/a"},
	} {
		if got := RebaseURL(c.in, c.prefix, c.server); got != c.want {
			t.Errorf("RebaseURL(%q, %q, %q) = %q, want %q", c.in, c.prefix, c.server, got, c.want)
		}
	}
}
