package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/dialog"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// quitQuestion describes, per kind, what quitting now does to the
// transfers still running; ok is false when nothing would be lost (no
// confirmation needed).
func (m Model) quitQuestion() (question string, ok bool) {
	lines := m.transfers.QuitLines()
	preparing := m.local.Preparing() + m.transfers.Preparing()
	if len(lines) == 0 && preparing == 0 {
		return "", false
	}
	if preparing > 0 {
		lines = append(lines, "• An upload is still being prepared (its files are being listed and checked): it has not started, so nothing of it is kept.")
	}
	return "Quit anyway? What quitting does to unfinished transfers:\n" + strings.Join(lines, "\n"), true
}

// quit asks first when quitting would stop something, saying what.
func (m Model) quit() (tea.Model, tea.Cmd) {
	q, ask := m.quitQuestion()
	if !ask {
		m.quitting = true
		return m, m.quitCmd()
	}
	return m, m.openOverlay(dialog.NewQuit(m.env.ui, q, uikit.Emit(quitNowMsg{})))
}

// refreshQuit rewrites an open quit dialog for the transfers as they are
// now: when the last one ended, it says quitting loses nothing.
func (m *Model) refreshQuit() {
	q, ok := m.overlay.(dialog.Quit)
	if !ok {
		return
	}
	text, ask := m.quitQuestion()
	if !ask {
		text = "Every transfer has ended: quitting now stops nothing. Quit?"
	}
	m.overlay = q.WithQuestion(text)
}
