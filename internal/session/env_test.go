package session

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// processReads are the names that read the process's environment or name
// its standard streams, and the packages (directories from the module's
// root) allowed to use them: the session reads the environment, and
// iostreams is where the streams are named.
var processReads = map[string][]string{
	"os.Getenv":      {"internal/session"},
	"os.LookupEnv":   {"internal/session"},
	"os.Environ":     {"internal/session"},
	"os.ExpandEnv":   {"internal/session"},
	"syscall.Getenv": {"internal/session"},
	"os.Stdin":       {"internal/iostreams"},
	"os.Stdout":      {"internal/iostreams"},
	"os.Stderr":      {"internal/iostreams"},
}

// TestOnlyTheSessionReadsTheEnvironment parses every non-test Go file of
// the module: nothing outside internal/session (and internal/iostreams
// for the streams, main.go) reads the environment or names the standard
// streams itself; the others are handed a getenv and streams.
func TestOnlyTheSessionReadsTheEnvironment(t *testing.T) {
	root := moduleRoot(t)
	var bad []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if rel == "main.go" {
			return nil
		}
		for _, use := range processUses(t, path) {
			if !allowed(filepath.ToSlash(filepath.Dir(rel)), processReads[use.name]) {
				bad = append(bad, rel+":"+strconv.Itoa(use.line)+": "+use.name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("read the process's environment or streams outside internal/session and internal/iostreams (take a getenv or an IOStreams instead):\n%s", strings.Join(bad, "\n"))
	}
}

type processUse struct {
	name string
	line int
}

// processUses are the uses of processReads' names in one file, whatever
// name the package is imported under.
func processUses(t *testing.T, path string) []processUse {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	local := map[string]string{} // local name → import path
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		if p != "os" && p != "syscall" {
			continue
		}
		n := p
		if im.Name != nil {
			n = im.Name.Name
		}
		local[n] = p
	}
	var out []processUse
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || local[id.Name] == "" {
			return true
		}
		name := local[id.Name] + "." + sel.Sel.Name
		if _, watched := processReads[name]; watched {
			out = append(out, processUse{name: name, line: fset.Position(sel.Pos()).Line})
		}
		return true
	})
	return out
}

func allowed(dir string, dirs []string) bool {
	for _, d := range dirs {
		if dir == d || strings.HasPrefix(dir, d+"/") {
			return true
		}
	}
	return false
}

// moduleRoot is the directory of go.mod above the test's directory.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
