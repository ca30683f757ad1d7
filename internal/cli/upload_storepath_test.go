package cli

import (
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// --store-path with a trailing / is a folder: upload -r ./site
// --store-path site/ stores the directory's contents under it
// (site/index.html, as rclone and aws s3 cp --recursive do; it stored
// site/site/index.html), and a file keeps its name in it (foo/zz.txt, not
// foo/). Without --store-path a directory's files keep its name.
func TestUploadStorePathFolder(t *testing.T) {
	c := newCLI(t)
	c.file("site/index.html", []byte("<p>home</p>"))
	c.file("site/css/a.css", []byte("p{}"))
	c.file("zz.txt", []byte("zz"))
	c.file("docs/d.txt", []byte("d"))
	for _, tc := range []struct {
		args []string
		want map[string]string // file name → store path (ledger and server)
	}{
		{[]string{"-r", "./site", "--store-path", "site/"}, map[string]string{"index.html": "site/index.html", "a.css": "site/css/a.css"}},
		{[]string{"zz.txt", "--store-path", "foo/"}, map[string]string{"zz.txt": "foo/zz.txt"}},
		{[]string{"-r", "docs"}, map[string]string{"d.txt": "docs/d.txt"}},
	} {
		out, errOut, code := c.run("", append([]string{"upload", "--json"}, tc.args...)...)
		rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
		if code != 0 || len(rs) != len(tc.want) {
			t.Fatalf("upload %v: %d %q %q", tc.args, code, out, errOut)
		}
		for _, r := range rs {
			if k := storedKey(t, c, r.Handle); k != tc.want[r.Filename] {
				t.Errorf("upload %v: %s stored at %q, want %q", tc.args, r.Filename, k, tc.want[r.Filename])
			}
			ls, _, _ := c.run("", "stat", "--json", r.Handle)
			if st := clitest.JSONLines[result](t, ls, clitest.ResultFields...); len(st) != 1 || st[0].Path != tc.want[r.Filename] {
				t.Errorf("upload %v: ledger path of %s: %q, want %q", tc.args, r.Filename, strings.TrimSpace(ls), tc.want[r.Filename])
			}
		}
	}
}
