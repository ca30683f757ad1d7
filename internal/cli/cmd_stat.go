package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts"
	sess "github.com/fsdeck/fsdeck/internal/session"
)

// newCmdStat is `fsdeck stat`.
func newCmdStat(f *Factory, runF func(context.Context, *handlesOptions) error) *cobra.Command {
	return newHandlesCommand(f, "stat HANDLE…", "Show metadata from the server, refreshing the ledger", "handles", statHandle, canStat, runF)
}

// canStat refuses a target whose API cannot describe an upload.
func canStat(t *sess.Target) error {
	if st, ok := t.Service.(hosts.Stater); !ok || st == nil || !t.Caps().Stat {
		return usageError("%s cannot show an upload's metadata (its API has no such call)", t.Info.Title)
	}
	return nil
}

// statHandle asks the target (a Stater) and refreshes the ledger's entry
// (a file the target no longer has is marked gone).
func statHandle(ctx context.Context, s *session, h string) (result, error) {
	if err := canStat(s.Target); err != nil {
		return result{}, err
	}
	st := s.Target.Service.(hosts.Stater)
	r, err := st.Stat(ctx, h)
	old, lerr := s.Ledger.Get(ctx, s.scope(), h)
	if err != nil {
		if errors.Is(err, hosts.ErrNotFound) && lerr == nil {
			// Status gone (as ls shows the row from now on), with the
			// remedy get and rm give: the server will never have it again.
			old.Gone, old.RefreshedAt = true, time.Now()
			s.Ledger.Refresh(ctx, s.scope(), old)
			r := entryResult(s, old, statusGone)
			r.Error = goneMessage(s, h)
			return r, nil
		}
		return result{}, targetError(err)
	}
	e := s.resultEntry(r, old)
	if lerr == nil {
		// Refresh, not Add: a row removed meanwhile stays removed.
		if _, err := s.Ledger.Refresh(ctx, s.scope(), e); err != nil {
			return result{}, fmt.Errorf("refreshing the ledger: %w", err)
		}
	}
	return entryResult(s, e, statusOK), nil
}
