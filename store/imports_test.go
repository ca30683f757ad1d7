package store

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The store keeps its own types and imports neither the transfer engine
// nor the targets (internal/transfer, internal/hosts): of fsdeck it may
// import only what is listed here.
func TestStoreImportsNeitherEngineNorTargets(t *testing.T) {
	allowed := map[string]bool{"github.com/fsdeck/fsdeck/assets": true, "github.com/fsdeck/fsdeck/internal/text": true}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range ast.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if strings.HasPrefix(p, "github.com/fsdeck/fsdeck/") && !allowed[p] {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
