package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/store"
)

// newCmdImport is `fsdeck import`.
func newCmdImport(f *Factory, runF func(context.Context, *handlesOptions) error) *cobra.Command {
	return newHandlesCommand(f, "import HANDLE|URL…", "Add existing files to the ledger (checked with the server)", "handles", importHandle, canImport, runF)
}

// canImport refuses a target that cannot look a file up by its id.
func canImport(t *sess.Target) error {
	_, ok := t.Service.(hosts.Importer)
	return lacks(t, ok && t.Caps().Import, "import")
}

// importHandle adds a file the target knows (an Importer) to the ledger.
func importHandle(ctx context.Context, s *session, h string) (result, error) {
	if err := canImport(s.Target); err != nil {
		return result{}, err
	}
	imp := s.Target.Service.(hosts.Importer)
	r, err := imp.Stat(ctx, h)
	if err != nil {
		return result{}, targetError(err)
	}
	old, lerr := s.Ledger.Get(ctx, s.scope(), h)
	if lerr != nil {
		old = store.Entry{Source: store.SourceImport}
	}
	e := s.resultEntry(r, old)
	if err := s.Ledger.Add(ctx, s.scope(), e); err != nil {
		return result{}, fmt.Errorf("adding to the ledger: %w", err)
	}
	return entryResult(s, e, statusImported), nil
}
