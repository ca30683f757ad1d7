package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/store"
)

// An upload from the command line is in the ledger the interface lists
// (ls), and stat, url, get, import and rm work on it; unknown handles and
// invalid chains are named.
func TestCLIFileCommands(t *testing.T) {
	c := newCLI(t)
	c.file("pic.txt", []byte("content"))
	out, _, code := c.run("", "upload", "-q", "pic.txt")
	h := strings.TrimSpace(out)
	if code != 0 || len(h) != 20 {
		t.Fatalf("upload: %d %q", code, out)
	}
	out, _, code = c.run("", "ls", "--json", "--filter", "*.TXT")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Handle != h || rs[0].Filename != "pic.txt" {
		t.Fatalf("ls: %d %q", code, out)
	}
	if out, _, _ := c.run("", "ls", "-q", "--filter", "*.png"); out != "" {
		t.Errorf("filter kept %q", out)
	}
	out, errOut, code := c.run("", "stat", "--json", h, "AAAAAAAAAAAAAAAAAAAA", "nonsense")
	rs = clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 1 || len(rs) != 3 || rs[0].Status != statusOK || rs[0].Size != 7 ||
		!strings.Contains(errOut, "AAAAAAAAAAAAAAAAAAAA: not found on the server (404)") || !strings.Contains(errOut, "nonsense: not a Filestack handle") {
		t.Fatalf("stat: %d %q %q", code, out, errOut)
	}
	out, _, code = c.run("", "url", h, "--as", "markdown")
	if code != 0 || !strings.HasPrefix(out, "[pic.txt](<http://") || !strings.Contains(out, "/"+h+">)") {
		t.Errorf("url markdown: %d %q", code, out)
	}
	out, _, code = c.run("", "url", h, "--json", "--as", "handle")
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 0 || len(rs) != 1 || rs[0].URL != h || rs[0].Filename != "pic.txt" {
		t.Errorf("url --json: %d %q", code, out)
	}
	out, _, code = c.run("", "url", h, "--signed", "1h")
	if code != 0 || !strings.Contains(out, "policy=") || !strings.Contains(out, "signature=") {
		t.Errorf("signed url: %d %q", code, out)
	}
	_, errOut, code = c.run("", "url", h, "--transform", "resize=width:30/rotat=deg:90")
	if code != 2 || !strings.Contains(errOut, "did you mean `rotate`") {
		t.Errorf("bad chain: %d %q", code, errOut)
	}
	// get never overwrites without --force.
	_, errOut, code = c.run("", "get", h)
	if code != 1 || !strings.Contains(errOut, "exists; not overwriting it without --force") {
		t.Fatalf("get over an existing file: %d %q", code, errOut)
	}
	os.WriteFile(filepath.Join(c.dir, "pic.txt"), []byte("local edit"), 0o644)
	out, errOut, code = c.run("", "get", "--force", "--json", h)
	rs = clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if b, _ := os.ReadFile(filepath.Join(c.dir, "pic.txt")); code != 0 || string(b) != "content" || rs[0].Status != statusSaved {
		t.Fatalf("get --force: %d %q %q %q", code, b, out, errOut)
	}
	out, _, code = c.run("", "get", "-q", "-o", "copy.txt", h)
	if b, _ := os.ReadFile(filepath.Join(c.dir, "copy.txt")); code != 0 || string(b) != "content" || strings.TrimSpace(out) != filepath.Join(c.dir, "copy.txt") {
		t.Fatalf("get -o: %d %q %q", code, b, out)
	}
	// rm refuses without --yes when nobody can be asked.
	_, errOut, code = c.run("", "rm", h)
	if code != 2 || !strings.Contains(errOut, "add --yes") {
		t.Fatalf("rm without --yes: %d %q", code, errOut)
	}
	if _, _, code = c.run("", "rm", "--forget-only", "--yes", h); code != 0 {
		t.Fatalf("forget: %d", code)
	}
	if out, _, _ := c.run("", "ls", "-q"); out != "" {
		t.Fatalf("still listed after forgetting: %q", out)
	}
	out, _, code = c.run("", "import", "-q", "http://127.0.0.1/"+h)
	if code != 0 || strings.TrimSpace(out) != h {
		t.Fatalf("import: %d %q", code, out)
	}
	out, _, code = c.run("", "rm", "--yes", "--json", h)
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 0 || rs[0].Status != statusDeleted {
		t.Fatalf("rm: %d %q", code, out)
	}
	if _, errOut, code = c.run("", "stat", h); code != 1 || !strings.Contains(errOut, "404") {
		t.Fatalf("stat after rm: %d %q", code, errOut)
	}
}

// Completions generate for every shell, HANDLE arguments complete from
// the ledger, and the man page builds.
func TestCLICompletionAndMan(t *testing.T) {
	c := newCLI(t)
	c.file("x.txt", []byte("x"))
	out, _, _ := c.run("", "upload", "-q", "x.txt")
	h := strings.TrimSpace(out)
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		out, errOut, code := c.run("", "completion", sh)
		if code != 0 || !strings.Contains(out, "fsdeck") || len(out) < 1000 {
			t.Errorf("completion %s: %d %q", sh, code, errOut)
		}
	}
	out, _, code := c.run("", "__complete", "url", "")
	if code != 0 || !strings.Contains(out, h+"\tx.txt") {
		t.Errorf("handle completion: %d %q", code, out)
	}
	// While fsdeck doctor owns the ledger, completion does not open it.
	unlock, err := store.OwnLedger(store.Paths{Data: c.data}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	out, _, code = c.run("", "__complete", "url", "")
	unlock()
	if code != 0 || strings.Contains(out, h) {
		t.Errorf("handle completion while the doctor owns the ledger: %d %q", code, out)
	}
	out, _, code = c.run("", "man")
	if code != 0 || !strings.Contains(out, ".TH \"FSDECK\" \"1\"") || !strings.Contains(out, "fsdeck-upload(1)") {
		t.Errorf("man: %d %q", code, out[:min(len(out), 300)])
	}
	dir := filepath.Join(t.TempDir(), "man1") // created by the command
	if _, errOut, code := c.run("", "man", "--dir", dir); code != 0 {
		t.Fatalf("man --dir: %d %q", code, errOut)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "fsdeck-upload.1")); err != nil || !strings.Contains(string(b), "--skip-existing") {
		t.Errorf("fsdeck-upload.1: %v %q", err, b)
	}
}

// `url --as markdown|html` of an image is the image form (![…](…), <img>),
// as the interface's copy-as menu offers; a chain converting it to a
// document makes it a link again.
func TestCLIURLImageForms(t *testing.T) {
	c := newCLI(t)
	c.file("dot.png", clitest.PNG(t))
	out, _, code := c.run("", "upload", "-q", "dot.png")
	h := strings.TrimSpace(out)
	if code != 0 || len(h) != 20 {
		t.Fatalf("upload: %d %q", code, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--as", "markdown"}, "![dot.png](<http://"},
		{[]string{"--as", "html"}, `<img src="http://`},
		{[]string{"--as", "markdown", "--transform", "resize=width:30"}, "![dot.png](<http://"},
		{[]string{"--as", "markdown", "--transform", "output=format:pdf"}, "[dot.png](<http://"},
		{[]string{"--as", "html", "--transform", "output=format:webp"}, `<img src="http://`},
	} {
		out, errOut, code := c.run("", append([]string{"url", h}, tc.args...)...)
		if code != 0 || !strings.HasPrefix(out, tc.want) {
			t.Errorf("url %v: %d %q %q, want prefix %q", tc.args, code, out, errOut, tc.want)
		}
	}
	// On a target whose URL is the image the image form; on one whose URL
	// is a page (GoFile) the link form.
	for target, want := range map[string]string{"imgbb": "![dot.png](<http://", "gofile": "[dot.png](<http://"} {
		out, errOut, code := c.run("", "upload", "-q", "--to", target, "dot.png")
		id := strings.TrimSpace(out)
		if code != 0 || id == "" {
			t.Fatalf("upload --to %s: %d %q %q", target, code, out, errOut)
		}
		if out, errOut, code := c.run("", "url", "--to", target, id, "--as", "markdown"); code != 0 || !strings.HasPrefix(out, want) {
			t.Errorf("url --to %s --as markdown: %d %q %q, want prefix %q", target, code, out, errOut, want)
		}
	}
}

// A chain whose first task is a bare unknown word (no `=`) is refused like
// any other unknown task: the grammar would read it as the API key segment
// and the URL was printed, to fail only at the server.
func TestCLIChainBareUnknownTask(t *testing.T) {
	c := newCLI(t)
	h := "AAAAAAAAAAAAAAAAAAAA"
	for _, args := range [][]string{
		{"transform", h, "blahblah"},
		{"url", h, "--transform", "bogus"},
		{"url", h, "--transform", "blurr/resize=width:3"},
	} {
		out, errOut, code := c.run("", args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "unknown task `") {
			t.Errorf("%v: %d %q %q", args, code, out, errOut)
		}
	}
	_, errOut, _ := c.run("", "url", h, "--transform", "blurr")
	if !strings.Contains(errOut, "did you mean `blur`") {
		t.Errorf("no suggestion: %q", errOut)
	}
}

// The human table names a ledger row by its file name, not its store
// path (a bare folder "other/", or after a refresh the storage key).
func TestCLITableNamesFileInStoreFolder(t *testing.T) {
	c := newCLI(t)
	c.file("n.txt", []byte("x"))
	if _, errOut, code := c.run("", "upload", "--store-path", "other/", "n.txt"); code != 0 {
		t.Fatalf("upload: %d %q", code, errOut)
	}
	out, _, code := c.run("", "ls")
	if code != 0 || !strings.Contains(out, " n.txt\n") || strings.Contains(out, "other/") {
		t.Fatalf("ls: %d %q", code, out)
	}
	h := strings.Fields(strings.Split(out, "\n")[1])[1]
	c.run("", "stat", h) // records the server's path, its storage key
	if out, _, _ := c.run("", "ls", "--json"); !strings.Contains(out, `"path":"other/`) {
		t.Fatalf("ls --json after stat: %q", out)
	}
	if out, _, _ := c.run("", "ls"); !strings.Contains(out, " n.txt\n") {
		t.Fatalf("ls after stat: %q", out)
	}
}

// get says when it saves under another name than the server's (characters
// no file name may hold everywhere), instead of renaming silently.
func TestCLIGetSaysWhenItRenames(t *testing.T) {
	c := newCLI(t)
	c.file("a*b.txt", []byte("x"))
	out, _, code := c.run("", "upload", "-q", "a*b.txt")
	h := strings.TrimSpace(out)
	if code != 0 {
		t.Fatal("upload failed")
	}
	os.Remove(filepath.Join(c.dir, "a*b.txt"))
	_, errOut, code := c.run("", "get", h)
	if code != 0 || !strings.Contains(errOut, `the name "a*b.txt" holds characters a file name cannot`) || !strings.Contains(errOut, `saving as "a_b.txt"`) {
		t.Fatalf("get: %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "a_b.txt")); err != nil {
		t.Fatal(err)
	}
}
