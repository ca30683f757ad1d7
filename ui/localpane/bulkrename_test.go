package localpane

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Names a line cannot hold go as Go strings and come back whole; the
// others stay as they are.
func TestBulkNamesRoundTrip(t *testing.T) {
	names := []string{"plain.txt", "two\nlines", "\x1b[31mred", `"quoted"`, " lead", "trail ", "\xff.bin", "tab\there", "é ü.txt"}
	enc := EncodeNames(names)
	lines := strings.Split(strings.TrimSuffix(enc, "\n"), "\n")
	if len(lines) != len(names) {
		t.Fatalf("%d lines for %d names:\n%s", len(lines), len(names), enc)
	}
	if lines[0] != "plain.txt" || lines[8] != "é ü.txt" || lines[1] != `"two\nlines"` {
		t.Fatalf("encoded:\n%s", enc)
	}
	if strings.ContainsFunc(enc[:len(enc)-1], func(r rune) bool { return r < 0x20 && r != '\n' }) {
		t.Fatalf("a control character reached the file:\n%q", enc)
	}
	got, problems := decodeNames(strings.ReplaceAll(enc, "\n", "\r\n"))
	if len(problems) > 0 || !slices.Equal(got, names) {
		t.Fatalf("decoded %q (%v), want %q", got, problems, names)
	}
}

// bulkDir is a directory holding names (empty files).
func bulkDir(t *testing.T, names ...string) string {
	dir := t.TempDir()
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(n), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out = append(out, e.Name()+"="+string(b))
	}
	sort.Strings(out)
	return out
}

// What stops a plan, each said, with nothing planned.
func TestPlanBulkRenameProblems(t *testing.T) {
	dir := bulkDir(t, "a", "b", "c", "other")
	paths := []string{filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")}
	rels := []string{"a", "b", "c"}
	for _, c := range []struct{ edited, want string }{
		{"a\nb\n", "the file has 2 lines for 3 names"},
		{"a\nb\nc\nd\n", "the file has 4 lines for 3 names"},
		{"x\nx\nc\n", "a and b would both be named x"},
		{"a\nother\nc\n", "b: other already exists (it is not renamed)"},
		{"a\n\nc\n", "line 2 (b): the name is empty"},
		{"a\nsub/b\nc\n", "line 2 (b): sub/b is in another directory"},
		{"a\n..\nc\n", `line 2 (b): ".." is not a name`},
		{"a\n\"b\nc\n", "line 2: \"b is not a complete quoted name"},
		{"a\n.fsdeck-rename-1-0\nc\n", "line 2 (b): its name is reserved"},
	} {
		plan, problems := PlanBulkRename(dir, paths, rels, c.edited)
		if plan != nil || len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), c.want) {
			t.Errorf("%q: plan %v, problems %q, want %q", c.edited, plan, problems, c.want)
		}
	}
	plan, problems := PlanBulkRename(dir, paths, rels, "b\nc\na\n") // a cycle
	if len(problems) > 0 || len(plan) != 3 || plan[0].To != filepath.Join(dir, "b") {
		t.Fatalf("cycle: %v %q", plan, problems)
	}
}

// R through the editor: the plan is shown first; yes renames a swap, a
// cycle-free rename and a name with a line break in it; z undoes all of
// it.
func TestBulkRenameInEditor(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("names with line breaks")
	}
	dir := bulkDir(t, "a.txt", "b.txt", "c.txt", "new\nline.txt", "keep.txt")
	var seen string
	f := &fakePrograms{term: func(argv []string) error {
		b, err := os.ReadFile(argv[len(argv)-1])
		if err != nil {
			return err
		}
		seen = string(b)
		edited := "b.txt\na.txt\nc 2.txt\n\"one\\nline.txt\"\n"
		return os.WriteFile(argv[len(argv)-1], []byte(edited), 0o600)
	}}
	s := programScreen(t, dir, f, "linux", map[string]string{"EDITOR": "vidir-like"})
	before := dirNames(t, dir)
	s.press(key1("space"), key1("space"), key1("space"))
	s.press(keyRunes("j"), key1("space")) // skips keep.txt
	s.press(keyRunes("R"))
	if seen != "a.txt\nb.txt\nc.txt\n\"new\\nline.txt\"\n" {
		t.Fatalf("the editor got %q", seen)
	}
	if len(f.terms) != 1 || f.terms[0][0] != "vidir-like" {
		t.Fatalf("ran %q", f.terms)
	}
	c, ok := s.o.(uikit.Confirm)
	if !ok {
		t.Fatalf("no plan shown: %T", s.o)
	}
	view := ansi.Strip(c.View())
	for _, w := range []string{"Rename 4 items?", "a.txt → b.txt", "b.txt → a.txt", "c.txt → c 2.txt", "new␊line.txt → one␊line.txt"} {
		if !strings.Contains(view, w) {
			t.Fatalf("plan lacks %q:\n%s", w, view)
		}
	}
	if !slices.Equal(dirNames(t, dir), before) {
		t.Fatal("renamed before the answer")
	}
	s.press(keyRunes("y"))
	want := []string{"a.txt=b.txt", "b.txt=a.txt", "c 2.txt=c.txt", "keep.txt=keep.txt", "one\nline.txt=new\nline.txt"}
	if got := dirNames(t, dir); !slices.Equal(got, want) {
		t.Fatalf("after the rename: %q, want %q", got, want)
	}
	st := lastStatus(t, s, keyRunes("z"))
	if got := dirNames(t, dir); !slices.Equal(got, before) {
		t.Fatalf("after z: %q, want %q", got, before)
	}
	if !strings.HasPrefix(st.Text, "undid the bulk rename: 4 items") || strings.Contains(st.Text, bulkTempPrefix) {
		t.Fatalf("undo said %q", st.Text)
	}
}

// A plan that meets a name taken after it was shown puts back what it
// did: nothing is renamed, nothing replaced, and it says so.
func TestBulkRenameFailurePutsBack(t *testing.T) {
	dir := bulkDir(t, "a", "b")
	f := &fakePrograms{term: func(argv []string) error {
		return os.WriteFile(argv[len(argv)-1], []byte("b\nz\n"), 0o600)
	}}
	s := programScreen(t, dir, f, "linux", map[string]string{"VISUAL": "ed"})
	s.press(key1("space"), key1("space"), keyRunes("R"))
	if _, ok := s.o.(uikit.Confirm); !ok {
		t.Fatalf("no plan shown: %T", s.o)
	}
	os.WriteFile(filepath.Join(dir, "z"), []byte("late"), 0o600)
	st := lastStatus(t, s, keyRunes("y"))
	if got := dirNames(t, dir); !slices.Equal(got, []string{"a=a", "b=b", "z=late"}) {
		t.Fatalf("after the failure: %q", got)
	}
	if st.Kind != uikit.StatusErr || !strings.Contains(st.Text, "nothing renamed: b: already exists") {
		t.Fatalf("said %+v", st)
	}
}

// A conflict with a file outside the plan stops it before anything is
// renamed, in a dialog naming it.
func TestBulkRenameConflictShown(t *testing.T) {
	dir := bulkDir(t, "a", "b")
	f := &fakePrograms{term: func(argv []string) error {
		return os.WriteFile(argv[len(argv)-1], []byte("b\n"), 0o600)
	}}
	s := programScreen(t, dir, f, "linux", map[string]string{"EDITOR": "ed"})
	s.press(keyRunes("R"))
	txt, ok := s.o.(uikit.Text)
	if !ok || !strings.Contains(strings.Join(txt.Lines(), "\n"), "a: b already exists (it is not renamed)") {
		t.Fatalf("dialog %T %v", s.o, s.o)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"a=a", "b=b"}) {
		t.Fatalf("renamed anyway: %q", got)
	}
	if m, _ := filepath.Glob(filepath.Join(os.TempDir(), "fsdeck-rename-*.txt")); len(m) > 0 {
		t.Logf("temporary files left by other runs or tests: %v", m)
	}
}
