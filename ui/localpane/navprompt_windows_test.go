package localpane

import "testing"

// On Windows a path rooted without a drive is on the pane's drive, and
// one with another drive but no root is on that drive, never under the
// pane's directory.
func TestResolvePathWindows(t *testing.T) {
	for text, want := range map[string]string{
		`\Users`:   `C:\Users`,
		`/Users/x`: `C:\Users\x`,
		`D:notes`:  `D:\notes`,
		`c:notes`:  `C:\work\notes`,
		`D:\data`:  `D:\data`,
		`sub\dir`:  `C:\work\sub\dir`,
		`..\other`: `C:\other`,
		`~\docs`:   `C:\home\docs`,
	} {
		if got := resolvePath(text, `C:\work`, `C:\home`); got != want {
			t.Errorf("resolvePath(%q) = %q, want %q", text, got, want)
		}
	}
}
