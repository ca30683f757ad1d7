package session

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
)

// TestNoTargetNameComparisons parses every non-test Go file outside
// internal/hosts (the targets' own packages and the registry): none
// compares a value with a registered target's name, written as a string
// literal ("filestack", "imgbb", …), as a target package's Name constant
// (fstarget.Name) or as a constant of its own for it (filestackName), in
// an == or != or a switch case. Front ends ask for a capability instead.
func TestNoTargetNameComparisons(t *testing.T) {
	root := moduleRoot(t)
	names := map[string]bool{}
	for _, n := range builtin.Registry().Targets() {
		names[n] = true
	}
	if len(names) < 6 {
		t.Fatalf("the registry lists %d targets", len(names))
	}
	var bad []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "internal/hosts") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		for _, line := range nameComparisons(t, path, names) {
			bad = append(bad, rel+":"+strconv.Itoa(line))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("compare with a target's name outside internal/hosts (ask the target's capabilities instead):\n%s", strings.Join(bad, "\n"))
	}
}

// nameComparisons are the lines of one file that compare with a target's
// name.
func nameComparisons(t *testing.T, path string, names map[string]bool) []int {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	targetPkgs := map[string]bool{} // local names of internal/hosts/<target> imports
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		rest, ok := strings.CutPrefix(p, "github.com/fsdeck/fsdeck/internal/hosts/")
		if !ok || strings.Contains(rest, "/") {
			continue
		}
		n := rest
		if im.Name != nil {
			n = im.Name.Name
		}
		targetPkgs[n] = true
	}
	isName := func(e ast.Expr) bool {
		switch e := e.(type) {
		case *ast.BasicLit:
			v, err := strconv.Unquote(e.Value)
			return e.Kind == token.STRING && err == nil && names[v]
		case *ast.SelectorExpr:
			id, ok := e.X.(*ast.Ident)
			return ok && targetPkgs[id.Name] && e.Sel.Name == "Name"
		case *ast.Ident:
			return strings.HasSuffix(e.Name, "Name") && names[strings.ToLower(strings.TrimSuffix(e.Name, "Name"))]
		}
		return false
	}
	var lines []int
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) && (isName(n.X) || isName(n.Y)) {
				lines = append(lines, fset.Position(n.Pos()).Line)
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				if isName(e) {
					lines = append(lines, fset.Position(e.Pos()).Line)
				}
			}
		}
		return true
	})
	return lines
}
