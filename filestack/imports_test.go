package filestack

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The client, transform, security and the emulator import nothing of
// fsdeck outside filestack/: fsdeck's packages use them, never the
// reverse (the client takes Config.Describe for fsdeck's wording).
func TestImportsNothingOfFsdeckOutsideFilestack(t *testing.T) {
	const module = "github.com/fsdeck/fsdeck/"
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		ast, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, im := range ast.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			if strings.HasPrefix(path, module) && !strings.HasPrefix(path, module+"filestack") {
				t.Errorf("%s imports %s", p, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
