package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/store"
)

// newCmdStat is `fsdeck stat`.
func newCmdStat(f *Factory, runF func(context.Context, *handlesOptions) error) *cobra.Command {
	return newHandlesCommand(f, "stat HANDLE…", "Show metadata from the server, refreshing the ledger", "handles", statHandle, runF)
}

// statHandle asks the server and refreshes the ledger's entry (a file
// the server no longer has is marked gone).
func statHandle(ctx context.Context, s *session, h string) (result, error) {
	if s.host != nil {
		return hostStat(ctx, s, h)
	}
	md, err := s.conn.client.Metadata(ctx, h)
	old, lerr := s.ledger.Get(ctx, s.scope(), h)
	if err != nil {
		if filestack.IsNotFound(err) && lerr == nil {
			old.Gone, old.RefreshedAt = true, time.Now()
			s.ledger.Refresh(ctx, s.scope(), old)
		}
		return result{}, remoteError(h, err)
	}
	e := metadataEntry(md, old)
	if lerr == nil {
		// Refresh, not Add: a row removed meanwhile stays removed.
		if _, err := s.ledger.Refresh(ctx, s.scope(), e); err != nil {
			return result{}, fmt.Errorf("refreshing the ledger: %w", err)
		}
	}
	return entryResult(s, e, statusOK), nil
}

// metadataEntry is a ledger entry updated from the server's metadata.
func metadataEntry(md *filestack.Metadata, e store.Entry) store.Entry {
	e.Handle, e.Filename, e.Mimetype = md.Handle, md.Filename, md.Mimetype
	if md.Size != nil {
		e.Size = *md.Size
	}
	if !md.Uploaded.IsZero() {
		e.Uploaded = md.Uploaded
	}
	e.Gone, e.RefreshedAt = false, time.Now()
	return e
}
