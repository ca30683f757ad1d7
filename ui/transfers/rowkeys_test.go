package transfers

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// callEngine records the row calls the panel makes.
type callEngine struct {
	*fakeEngine
	calls []string
}

func (c *callEngine) Pause(id transfer.JobID) error  { c.calls = append(c.calls, "pause"); return nil }
func (c *callEngine) Resume(id transfer.JobID) error { c.calls = append(c.calls, "resume"); return nil }
func (c *callEngine) Cancel(id transfer.JobID) error { c.calls = append(c.calls, "cancel"); return nil }

func newCallPanel(t *testing.T) (*Panel, *callEngine) {
	t.Helper()
	p, fe := newTestPanel()
	ce := &callEngine{fakeEngine: fe}
	p.eng = ce
	const mib = 1 << 20
	jobs := []transfer.JobSnapshot{
		{ID: 1, Name: "done.bin", State: transfer.Done, Size: 1, Acked: 1},
		{ID: 2, Name: "big4.bin", State: transfer.Running, Size: 200 * mib, Acked: 100 * mib, Started: fixedNow},
		{ID: 3, Name: "small.bin", State: transfer.Running, Size: 10 * mib, Acked: mib, Started: fixedNow},
		{ID: 4, Name: "broken.bin", State: transfer.Failed, Size: 1, Err: "refused"},
	}
	show(p, fe, transfer.Snapshot{Jobs: jobs, Total: transfer.Totals{Files: 4, Done: 1, Running: 2, Failed: 1}})
	p.SetSize(100, 20)
	return p, ce
}

// status runs cmd and returns the status lines and the dialog it opens.
func status(cmd tea.Cmd) (texts []string, opened uikit.Overlay) {
	var walk func(tea.Cmd)
	walk = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch m := c().(type) {
		case tea.BatchMsg:
			for _, c := range m {
				walk(c)
			}
		case uikit.StatusMsg:
			texts = append(texts, m.Text)
		case uikit.OpenMsg:
			opened = m.Overlay
		}
	}
	walk(cmd)
	return texts, opened
}

func TestTransferRowKeysSayWhatTheyDid(t *testing.T) {
	p, ce := newCallPanel(t)
	p.list.Jump(3) // the failed row, last: w must not leave the cursor there
	p.Focus()
	if cur := p.current(); cur.name != "big4.bin" {
		t.Fatalf("w focused %s, not the running row", cur.name)
	}
	texts, _ := status(p.Update(keyRunes("p")))
	if len(ce.calls) != 1 || ce.calls[0] != "pause" || strings.Join(texts, "|") != "paused big4.bin" {
		t.Fatalf("p on a running row: calls %v, status %q", ce.calls, texts)
	}
	texts, dialog := status(p.Update(keyRunes("c")))
	if dialog == nil || len(ce.calls) != 1 {
		t.Fatalf("c with 100 MiB sent did not ask first (calls %v, status %q)", ce.calls, texts)
	}
	if v := dialog.View(); !strings.Contains(v, "100 MiB of big4.bin is already sent") {
		t.Fatalf("question:\n%s", v)
	}
	_, yes := dialog.Update(keyRunes("y"))
	texts, _ = status(p.Update(yes()))
	if len(ce.calls) != 2 || ce.calls[1] != "cancel" || strings.Join(texts, "|") != "cancelled big4.bin" {
		t.Fatalf("after yes: calls %v, status %q", ce.calls, texts)
	}
	p.list.Jump(2) // small.bin: 1 MiB sent, no question
	texts, dialog = status(p.Update(keyRunes("c")))
	if dialog != nil || strings.Join(texts, "|") != "cancelled small.bin" {
		t.Fatalf("small cancel: dialog %v, status %q", dialog != nil, texts)
	}
	p.list.Jump(0)
	texts, _ = status(p.Update(keyRunes("p")))
	if strings.Join(texts, "|") != "done.bin is finished: nothing to pause" {
		t.Fatalf("p on a finished row: %q", texts)
	}
	p.list.Jump(3)
	texts, _ = status(p.Update(keyRunes("p")))
	if strings.Join(texts, "|") != "broken.bin failed: nothing to pause (R retries it)" {
		t.Fatalf("p on a failed row: %q", texts)
	}
	if len(ce.calls) != 3 {
		t.Fatalf("engine calls %v", ce.calls)
	}
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
