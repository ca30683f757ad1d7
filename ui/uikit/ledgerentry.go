package uikit

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
)

// LedgerChangedMsg reloads the remote pane after a change, with a status.
type LedgerChangedMsg struct {
	Kind StatusKind
	Text string
}

// EntryOf is the ledger entry of a file tc just stored (r): with the
// URLs the service returned, unless tc builds them from the id
// (Caps.DerivedURL), so the ledger keeps none.
func (tc TargetConn) EntryOf(r hosts.Result, src store.Source, now time.Time) store.Entry {
	e := store.Entry{Handle: r.ID, Filename: r.Name, Size: r.Size, Mimetype: r.Mimetype, Uploaded: now, Source: src}
	if !tc.Caps.DerivedURL {
		e.URL, e.Links, e.Expires = r.URL, r.Links, r.Expires
	}
	return e
}

// Record adds an entry to the ledger and reports it (the remote pane reloads).
func Record(ctx context.Context, l Ledger, s store.Scope, e store.Entry, done string) tea.Msg {
	if err := l.Add(ctx, s, e); err != nil {
		return StatusMsg{Kind: StatusErr, Text: "ledger: " + err.Error()}
	}
	return LedgerChangedMsg{Kind: StatusOK, Text: done}
}

// DisplayName is an entry's name as rows show it: its file name (else
// its handle), "(gone)" when the service no longer has it.
func DisplayName(e store.Entry) string {
	name := e.Filename
	if name == "" {
		name = e.Handle
	}
	if e.Gone {
		name += " (gone)"
	}
	return name
}
