package remotepane

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// ledgerWatchEvery is how often the remote pane asks whether another
// process changed the ledger: one small query (tens of microseconds), so
// an `fsdeck rm` or `fsdeck upload` in another shell shows within a second.
const ledgerWatchEvery = time.Second

// versioner is a ledger that can say whether anyone committed since it
// last asked (store.Ledger: SQLite's data_version).
type versioner interface {
	DataVersion(ctx context.Context) (int64, error)
}

// ledgerPollMsg asks for the ledger's data version; ledgerVersionMsg
// carries it back.
type (
	ledgerPollMsg    struct{}
	ledgerVersionMsg struct {
		v   int64
		err error
	}
)

// startWatch begins polling the ledger's data version, once per pane
// (the first listing starts it), when the ledger can tell.
func (p *Pane) startWatch() tea.Cmd {
	if p.watching || p.tick == nil {
		return nil
	}
	if _, ok := p.env.Ledger().(versioner); !ok {
		return nil
	}
	p.watching = true
	return p.pollVersion()
}

// pollVersion reads the data version in a command (never in Update).
func (p *Pane) pollVersion() tea.Cmd {
	vl, _ := p.env.Ledger().(versioner)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		v, err := vl.DataVersion(ctx)
		return ledgerVersionMsg{v: v, err: err}
	}
}

// onVersion reloads when the number moved (another process, or this one,
// committed) and schedules the next poll. A failed poll only waits for
// the next: the listing itself reports a ledger that cannot be read.
func (p *Pane) onVersion(msg ledgerVersionMsg) tea.Cmd {
	next := p.tick(ledgerWatchEvery, func(time.Time) tea.Msg { return ledgerPollMsg{} })
	if msg.err != nil {
		return next
	}
	changed := p.versionSeen && msg.v != p.version
	p.version, p.versionSeen = msg.v, true
	if changed {
		return tea.Batch(p.Reload(), next)
	}
	return next
}
