package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// uiPath is this package's import path; its sub-packages are uikit and
// the components.
const uiPath = "github.com/fsdeck/fsdeck/ui"

// importsOf lists the imports of every Go file in dir (tests included).
func importsOf(t *testing.T, dir string) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, f := range files {
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			out[p] = append(out[p], filepath.Base(f))
		}
	}
	return out
}

// A component package (ui/localpane, ui/transfers, …) imports ui/uikit
// and service packages, never ui or another component; ui/uikit imports
// neither (superfile: a component "should not be aware of main model").
func TestComponentImports(t *testing.T) {
	var subs []string
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || p == "." {
			return err
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if gos, _ := filepath.Glob(filepath.Join(p, "*.go")); len(gos) > 0 {
			subs = append(subs, filepath.ToSlash(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) < 8 {
		t.Fatalf("found only %v under ui", subs)
	}
	pkgs := map[string]bool{}
	for _, s := range subs {
		pkgs[uiPath+"/"+s] = true
	}
	for _, s := range subs {
		self := uiPath + "/" + s
		for imp, files := range importsOf(t, s) {
			switch {
			case imp == uiPath:
				t.Errorf("%s imports ui (%s)", self, strings.Join(files, ", "))
			case imp == self || imp == uiPath+"/uikit" && s != "uikit":
			case pkgs[imp] || strings.HasPrefix(imp, uiPath+"/"):
				t.Errorf("%s imports %s (%s): a component reaches another only through messages", self, imp, strings.Join(files, ", "))
			}
		}
	}
}

// maxRootMethods bounds the root model: focus, layout, the dialogs,
// routing and quitting, nothing a component could own.
const maxRootMethods = 25

// The root model has at most maxRootMethods methods, all on *Model.
func TestRootModelMethods(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil {
				continue
			}
			switch r := fd.Recv.List[0].Type.(type) {
			case *ast.StarExpr:
				if id, ok := r.X.(*ast.Ident); ok && id.Name == "Model" {
					names = append(names, fd.Name.Name)
				}
			case *ast.Ident:
				if r.Name == "Model" {
					t.Errorf("Model.%s has a value receiver: the root is one pointer", fd.Name.Name)
				}
			}
		}
	}
	if len(names) > maxRootMethods {
		t.Fatalf("the root model has %d methods (at most %d): %s", len(names), maxRootMethods, strings.Join(names, ", "))
	}
}
