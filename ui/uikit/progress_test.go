package uikit

import (
	"io"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// orderModel records the messages a command sends, in the order the
// program delivers them, and quits once the progress has ended.
type orderModel struct {
	cmd  tea.Cmd
	seen []string
}

func (m *orderModel) Init() tea.Cmd { return m.cmd }

func (m *orderModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case StatusMsg:
		m.seen = append(m.seen, "status")
	case ProgressDoneMsg:
		m.seen = append(m.seen, "done")
		return m, tea.Quit
	}
	return m, nil
}

func (m *orderModel) View() string { return "" }

// The line saying a step is under way reaches the program before the
// step's end, which clears it: a quick step (the duplicate check of one
// small file) left "checking 1 file against the ledger…" on the status
// line, under the question that followed, when its end overtook it.
func TestProgressSaysBeforeItEnds(t *testing.T) {
	for i := 0; i < 200; i++ {
		m := &orderModel{cmd: Progress("checking", func() tea.Msg { return "answer" })}
		p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutRenderer())
		if _, err := p.Run(); err != nil {
			t.Fatal(err)
		}
		if len(m.seen) != 2 || m.seen[0] != "status" {
			t.Fatalf("run %d: messages in the order %v", i, m.seen)
		}
	}
}
