package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
)

// fsTargetPath is the root target's package, which only the registry and
// the code that connects a client to it may name.
const fsTargetPath = "github.com/fsdeck/fsdeck/internal/hosts/filestack"

// nameLike are the identifiers that hold a target's name.
var nameLike = regexp.MustCompile(`(?i)^(name|target|targetname)$`)

// specialNames are names that stand for "is this Filestack" themselves.
var specialNames = regexp.MustCompile(`(?i)^(filestackname|isfilestack|filestackcaps)$`)

// The interface asks a target what it can do, never which target it is
// (issue 20): no ui code outside tests compares a target's name with a
// string literal, names the root target's package's Name or a
// filestackName constant, or tests a TargetConn's Host (or a client,
// Remote) for nil to decide what a target can do.
func TestNoTargetNameDecisions(t *testing.T) {
	var problems []string
	for _, p := range nonTestFiles(t) {
		problems = append(problems, targetDecisions(t, p)...)
	}
	if len(problems) > 0 {
		t.Fatalf("ui decides by a target's name or by a nil client (ask a capability: hosts' optional interfaces, Caps, Targets.Root):\n%s",
			strings.Join(problems, "\n"))
	}
}

// The check itself finds each form it forbids (so a passing run is not
// a check that cannot fail).
func TestTargetDecisionsFound(t *testing.T) {
	src := `package x

import fst "github.com/fsdeck/fsdeck/internal/hosts/filestack"

const filestackName = "filestack"

func f(tc TargetConn, j Job, name string) {
	_ = tc.Name == "imgbb"
	_ = "filestack" != j.Target
	_ = name == "anything"
	_ = tc.Host == nil
	_ = nil != c.Remote
	_ = host != nil
	_ = fst.Name
	_ = filestackName
	_ = isFilestack(tc)
	switch tc.Name {
	case "gyazo":
	}
	_ = tc.Name == ""
	_ = tc.Title == "x"
	_ = s == "filestack"
}
`
	dir := t.TempDir()
	p := filepath.Join(dir, "x.go")
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	got := targetDecisions(t, p)
	// Every line of f but the two allowed (an empty name, a title), and
	// the constant's declaration.
	if len(got) != 12 {
		t.Fatalf("found %d, want 12:\n%s", len(got), strings.Join(got, "\n"))
	}
	for _, g := range got {
		if strings.Contains(g, `tc.Name == ""`) || strings.Contains(g, "tc.Title") {
			t.Errorf("allowed form reported: %s", g)
		}
	}
}

// nonTestFiles are the Go files of ui and its packages, tests left out.
func nonTestFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == "testdata":
			return filepath.SkipDir
		case !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go"):
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 40 {
		t.Fatalf("found only %d files under ui", len(out))
	}
	return out
}

// targetDecisions lists the forbidden forms in the file at path, each as
// "file:line: code".
func targetDecisions(t *testing.T, path string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, n := range builtin.Registry().Targets() {
		targets[strings.ToLower(n)] = true
	}
	fsAlias := ""
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); p == fsTargetPath {
			fsAlias = "filestack"
			if im.Name != nil {
				fsAlias = im.Name.Name
			}
		}
	}
	var out []string
	report := func(n ast.Node, why string) {
		pos := fset.Position(n.Pos())
		code := string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
		out = append(out, filepath.ToSlash(path)+":"+strconv.Itoa(pos.Line)+": "+code+" ("+why+")")
	}
	// literal reports whether e is a string literal naming a target, or
	// any non-empty string literal when other holds a name.
	literal := func(e, other ast.Expr) bool {
		bl, ok := e.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return false
		}
		v, _ := strconv.Unquote(bl.Value)
		return targets[strings.ToLower(v)] || (v != "" && nameLike.MatchString(lastName(other)))
	}
	isNil := func(e ast.Expr) bool {
		id, ok := e.(*ast.Ident)
		return ok && id.Name == "nil"
	}
	clientLike := func(e ast.Expr) bool {
		n := strings.ToLower(lastName(e))
		return n == "host" || n == "remote"
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				return true
			}
			switch {
			case literal(n.X, n.Y) || literal(n.Y, n.X):
				report(n, "a target's name compared with a literal")
			case isNil(n.X) && clientLike(n.Y) || isNil(n.Y) && clientLike(n.X):
				report(n, "a client tested for nil")
			}
		case *ast.SwitchStmt:
			if n.Tag == nil {
				return true
			}
			for _, s := range n.Body.List {
				for _, e := range s.(*ast.CaseClause).List {
					if literal(e, n.Tag) {
						report(e, "a target's name switched on")
					}
				}
			}
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok && fsAlias != "" && id.Name == fsAlias && n.Sel.Name == "Name" {
				report(n, "the root target's name")
			}
		case *ast.Ident:
			if specialNames.MatchString(n.Name) {
				report(n, "names Filestack as a special case")
			}
		}
		return true
	})
	return out
}

// lastName is the identifier an expression ends in: tc.Name → "Name",
// name → "name" ("" for anything else).
func lastName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.CallExpr:
		return lastName(e.Fun)
	}
	return ""
}
