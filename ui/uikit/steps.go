package uikit

import tea "github.com/charmbracelet/bubbletea"

// An upload request passes through several commands (walk the paths,
// hash them against the ledger, …) before the engine has anything to
// show. A quit in between would drop it without a word, so every command
// on the way is counted, by the component that makes it, from the Update
// that makes it to the Update that receives its answer: quit asks while
// any count is above zero.

// StepMsg carries the answer of a counted command (an upload step). The
// root hands it to every component, so that its owner uncounts it, then
// handles Msg.
type StepMsg struct {
	Owner string
	Msg   tea.Msg
}

// Steps counts one component's upload steps in flight.
type Steps struct {
	owner string
	n     int
}

// NewSteps is an owner's count, at zero.
func NewSteps(owner string) Steps { return Steps{owner: owner} }

// Start counts cmd as an upload step in flight; its answer arrives as a
// StepMsg. A nil cmd counts nothing.
func (s *Steps) Start(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	s.n++
	owner := s.owner
	return func() tea.Msg { return StepMsg{Owner: owner, Msg: cmd()} }
}

// End uncounts msg when it is the answer of one of these steps.
func (s *Steps) End(msg StepMsg) {
	if msg.Owner == s.owner && s.n > 0 {
		s.n--
	}
}

// InFlight is how many steps have not answered yet.
func (s *Steps) InFlight() int { return s.n }
