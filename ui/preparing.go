package ui

import tea "github.com/charmbracelet/bubbletea"

// An upload request passes through several commands (walk the paths,
// hash them against the ledger, …) before the engine has anything to
// show. A quit in between would drop it without a word, so every command
// on the way is counted from the Update that makes it to the Update that
// receives its answer: quit asks while the count is above zero.

// stepMsg carries the answer of a counted command.
type stepMsg struct{ msg tea.Msg }

// step counts cmd as an upload step in flight; its answer arrives as a
// stepMsg, which the root uncounts and passes on. A nil cmd counts nothing.
func (e *env) step(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	e.preparing++
	return func() tea.Msg { return stepMsg{cmd()} }
}

// unstep uncounts a step's answer and returns the message it carried.
func (e *env) unstep(s stepMsg) tea.Msg {
	if e.preparing > 0 {
		e.preparing--
	}
	return s.msg
}
