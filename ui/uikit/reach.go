package uikit

import tea "github.com/charmbracelet/bubbletea"

// ReachMsg is the outcome of a request to a target (Target "" is the
// root target): Err nil when it answered. The root keeps what the latest
// showed, for the title bar.
type ReachMsg struct {
	Target string
	Err    error
}

// ReachOutcome gathers the requests of one command (a refresh asks once
// per file): one answer proves the service is reached; else the first
// error says why not.
type ReachOutcome struct {
	tried, answered bool
	err             error
}

// Note adds one request's error (nil: it answered, a not-found too).
func (o *ReachOutcome) Note(err error) {
	o.tried = true
	switch {
	case err == nil:
		o.answered, o.err = true, nil
	case !o.answered && o.err == nil:
		o.err = err
	}
}

// Report is the outcome as a ReachMsg for target, when a request was made
// (nil otherwise).
func (o ReachOutcome) Report(target string) tea.Cmd {
	if !o.tried {
		return nil
	}
	return Emit(ReachMsg{Target: target, Err: o.err})
}
