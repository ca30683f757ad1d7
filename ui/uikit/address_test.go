package uikit

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// CutAddress cuts at host or path boundaries, never wider than asked.
func TestCutAddress(t *testing.T) {
	for _, c := range []struct {
		s    string
		w    int
		want string
	}{
		{"http://127.0.0.1:7337", 40, "http://127.0.0.1:7337"},
		{"http://127.0.0.1:7337/a/bucket/dir", 32, "http://127.0.0.1:7337/…/dir"},
		{"http://127.0.0.1:7337/a/bucket/dir", 30, "http://127.0.0.1:7337/…/dir"},
		{"http://127.0.0.1:7337/a/bucket/dir", 26, "http://127.0.0.1:7337/…"},
		{"https://upload.cdn.example.com", 20, "…cdn.example.com"},
		{"ImgBB (key 1234abcd)", 12, "…1234abcd)"},
		{"https://x/␛[31m/evil␛[0m/tail", 14, "https://x/…"},
		{"abcdefghijklmnop", 6, "…lmnop"},
		{"abc", 0, ""},
	} {
		got := CutAddress(c.s, c.w)
		if got != c.want || ansi.StringWidth(got) > max(0, c.w) {
			t.Errorf("CutAddress(%q, %d) = %q, want %q", c.s, c.w, got, c.want)
		}
	}
}
