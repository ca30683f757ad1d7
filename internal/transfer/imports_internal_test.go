package transfer

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The engine asks the targets' contract for capabilities: of fsdeck it
// imports internal/hosts and internal/text only — no target's package,
// not the Filestack client, the store or a front end.
func TestEngineImportsOnlyTheContract(t *testing.T) {
	allowed := map[string]bool{"github.com/fsdeck/fsdeck/internal/hosts": true, "github.com/fsdeck/fsdeck/internal/text": true}
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
