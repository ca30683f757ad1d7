package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// module is fsdeck's module path; rules below name packages relative to it.
const module = "github.com/fsdeck/fsdeck"

// repoRoot is the module's root directory (this file is in internal/e2e).
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// The top level is the one fsdeck was specified with plus internal/, and
// the root package is only main.go: a signal context and one call into
// internal/cli.
func TestTopLevelLayout(t *testing.T) {
	root := repoRoot(t)
	out, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	top := map[string]bool{}
	var rootGo []string
	for _, f := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		first, _, nested := strings.Cut(f, "/")
		top[first] = true
		if !nested && strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") {
			rootGo = append(rootGo, f)
		}
	}
	want := []string{".ci", ".gitignore", "README.md", "assets", "filestack", "go.mod", "go.sum", "internal", "main.go", "store", "ui"}
	var got []string
	for k := range top {
		got = append(got, k)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("top level is %v, want exactly %v", got, want)
	}
	if !slices.Equal(rootGo, []string{"main.go"}) {
		t.Errorf("non-test Go files at the root: %v, want only main.go", rootGo)
	}
	b, err := os.ReadFile(filepath.Join(root, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n > 30 {
		t.Errorf("main.go has %d lines, at most 30", n)
	}
}

// importRule says what a package (and, with a trailing "/...", those under
// it) must not import of fsdeck; each package's doc comment says the same.
type importRule struct {
	pkg    string
	never  []string // import paths or prefixes ending in "/..."
	reason string
}

var importRules = []importRule{
	{"assets", []string{"..."}, "embedded files only"},
	{"internal/text", []string{"..."}, "every other package uses it"},
	{"internal/iostreams", []string{"..."}, "the streams, nothing else"},
	{"internal/clipboard", []string{"..."}, "a terminal facility, used by the interface and the commands"},
	{"internal/localca", []string{"..."}, "certificates only; serve hands it the names"},
	{"internal/clitest", []string{"..."}, "test support shared by internal/cli and internal/e2e"},
	{"internal/benchpair", []string{"..."}, "test support shared by the paired benchmarks"},
	{"filestack/...", []string{"internal/...", "store/...", "ui/...", "assets"}, "the client and server stand alone"},
	{"store/...", []string{"internal/transfer/...", "internal/hosts/...", "ui/...", "internal/cli/...", "filestack/..."}, "local state knows no engine, target or front end"},
	{"internal/hosts/...", []string{"internal/transfer/...", "store/...", "ui/...", "internal/cli/...", "internal/fsops"}, "the targets know no front end and no local state"},
	{"internal/transfer/...", []string{"ui/...", "internal/cli/...", "filestack"}, "the engine has no front end and asks targets for capabilities"},
	{"internal/fsops", []string{"ui/...", "internal/cli/...", "store/...", "internal/hosts/..."}, "local file operations only"},
	{"ui/...", []string{"internal/cli/..."}, "the interface is given its dependencies"},
}

// testOnly are the packages of test support: only _test.go files import
// them (go list's Imports leaves test files' imports out).
var testOnly = []string{"internal/benchpair", "internal/clitest"}

// targets are the target packages: none imports another or the registry.
var targetPkgs = []string{"ddownload", "filestack", "gofile", "gyazo", "imgbb", "pastebin"}

func matches(pattern, rel string) bool {
	if pattern == "..." {
		return true
	}
	if p, ok := strings.CutSuffix(pattern, "/..."); ok {
		return rel == p || strings.HasPrefix(rel, p+"/")
	}
	return rel == pattern
}

// Dependencies point one way: each rule above holds for every package of
// the module (go list over the non-test imports), and only the root's
// main imports internal/cli.
func TestImportDirection(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go tool")
	}
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	cmd.Dir = repoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	rules := append([]importRule(nil), importRules...)
	for _, a := range targetPkgs {
		var never []string
		for _, b := range targetPkgs {
			if a != b {
				never = append(never, "internal/hosts/"+b)
			}
		}
		rules = append(rules, importRule{"internal/hosts/" + a, append(never, "internal/hosts/builtin"), "a target stands alone"})
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		seen[pkg] = true
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			rel := strings.TrimPrefix(imp, module+"/")
			if matches("internal/cli/...", rel) && pkg != "" {
				t.Errorf("%s imports %s: only main.go does", fields[0], imp)
			}
			if slices.Contains(testOnly, rel) {
				t.Errorf("%s imports %s: only tests do", fields[0], imp)
			}
			// A component of the interface (ui/localpane, …) and ui/uikit
			// import neither the root model nor another component.
			if strings.HasPrefix(pkg, "ui/") && (rel == "ui" || strings.HasPrefix(rel, "ui/") && rel != "ui/uikit") {
				t.Errorf("%s imports %s: a component imports ui/uikit, never ui or another component", fields[0], imp)
			}
			for _, r := range rules {
				if !matches(r.pkg, pkg) {
					continue
				}
				for _, n := range r.never {
					if matches(n, rel) && !matches(r.pkg, rel) {
						t.Errorf("%s imports %s (%s must not import %s: %s)", fields[0], imp, r.pkg, n, r.reason)
					}
				}
			}
		}
	}
	// A rule naming a package that is gone would hold trivially.
	for _, r := range importRules {
		p := strings.TrimSuffix(r.pkg, "/...")
		if !seen[p] {
			t.Errorf("rule for %s: no such package", r.pkg)
		}
	}
}
