package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/dialog"
	"github.com/fsdeck/fsdeck/ui/localpane"
	"github.com/fsdeck/fsdeck/ui/studio"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// onKey: overlay first, then the studio, then global keys, then the
// focused component.
func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	// Keys typed faster than the terminal is read arrive as one message
	// ("jju"); outside text fields each is its own command. Once a key
	// has started something with no dialog open, the rest waits for it
	// (a moment at most: bounded), so a key typed ahead goes to the menu
	// the one before opened ("sn" sorts by name, "ss" opens one menu and
	// picks its s).
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.typing() {
		var cmds []tea.Cmd
		for i, r := range msg.Runes {
			if m.typing() { // a key opened a field: the rest is its text
				return tea.Batch(append(cmds, m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[i:], Alt: msg.Alt}))...)
			}
			free := m.overlay == nil
			cmd := m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
			if cmd != nil && free && i+1 < len(msg.Runes) {
				// Keys arriving meanwhile wait behind the rest (update).
				m.held, m.heldSince = []tea.KeyMsg{{Type: tea.KeyRunes, Runes: msg.Runes[i+1:], Alt: msg.Alt}}, time.Now()
				return tea.Batch(tea.Batch(cmds...), tea.Sequence(bounded(cmd, typeAheadWait), uikit.Emit(heldKeysMsg{since: m.heldSince})))
			}
			cmds = append(cmds, cmd)
		}
		return tea.Batch(cmds...)
	}
	if msg.Type == tea.KeyCtrlZ {
		return suspendCmd(m.studio)
	}
	k := m.env.Keys()
	if mo, ok := m.overlay.(uikit.Menu); ok {
		if now, ok := mo.ChosenNow(msg); ok {
			next := m.closeOverlay()
			return tea.Batch(next, m.update(now))
		}
	}
	if m.overlay != nil {
		var cmd, next tea.Cmd
		m.overlay, cmd = m.overlay.Update(msg)
		if m.overlay == nil {
			next = m.closeOverlay()
		}
		return tea.Batch(cmd, next)
	}
	if m.studio != nil {
		switch {
		case msg.Type == tea.KeyCtrlC:
			return m.quit()
		case key.Matches(msg, k.Help) && !m.studio.Typing():
			return m.openOverlay(m.helpOverlay())
		}
		cmd := m.studio.Update(msg)
		if m.studio.Closed() {
			m.studio = nil
		}
		return cmd
	}
	// The file preview's scroll keys (J, K) are its own everywhere in the
	// main view: with no preview shown they say how to show one.
	if !m.typing() && (key.Matches(msg, k.PreviewDown) || key.Matches(msg, k.PreviewUp)) {
		if m.previewShown() {
			m.preview.Scroll(msg)
			return nil
		}
		return uikit.Info(noPreview(k, m.local.PreviewOn(), m.focus == focusLocal))
	}
	if !m.typing() {
		if cmd, ok := m.onGlobalKey(msg); ok {
			return cmd
		}
	}
	var cmd tea.Cmd
	switch m.focus {
	case focusLocal:
		if cmd = m.local.Update(msg); cmd == nil && !m.local.Typing() {
			cmd = otherPanesKey(msg, m.local.Keys(), m.remote.Keys(), "remote pane", k.SwitchPane)
		}
	case focusRemote:
		if cmd = m.remote.Update(msg); cmd == nil && !m.remote.Typing() {
			cmd = otherPanesKey(msg, m.remote.Keys(), m.local.Keys(), "local pane", k.SwitchPane)
		}
	case focusTransfers:
		cmd = m.transfers.Update(msg)
	}
	m.layout()
	return cmd
}

// typeAheadWait is how long keys typed ahead wait for what the key
// before them started.
const typeAheadWait = 250 * time.Millisecond

// hold makes the keys that arrive after msg, a key pressed with no
// dialog open (free), wait for cmd, what it started: a menu or dialog it
// opens through a command (ctrl+u's targets, s's sort menu) then gets
// them, in order, as one typed in a burst does. Moving the cursor, and
// keys that quit or suspend, hold nothing. It returns what to run.
func hold(m *Model, msg tea.KeyMsg, free bool, cmd tea.Cmd) tea.Cmd {
	k := m.env.Keys()
	if cmd == nil || !free || m.held != nil || m.overlay != nil || m.typing() || m.quitting ||
		msg.Type == tea.KeyCtrlC || msg.Type == tea.KeyCtrlZ || key.Matches(msg, k.MovementKeys()...) {
		return cmd
	}
	m.held, m.heldSince = []tea.KeyMsg{}, time.Now()
	return tea.Sequence(bounded(cmd, typeAheadWait), uikit.Emit(heldKeysMsg{since: m.heldSince}))
}

// stillHeld reports whether the held keys wait on: nothing opened yet
// and an upload step the key led to is in flight (the ctrl+u menu is made
// in one), within typeAheadWait; wait then says when to look again.
func stillHeld(m *Model) (wait time.Duration, ok bool) {
	wait = typeAheadWait - time.Since(m.heldSince)
	return wait, m.held != nil && m.overlay == nil && m.transfers.Preparing()+m.local.Preparing() > 0 && wait > 0
}

// releaseHeld hands the keys held so far on, in the order typed; one
// that starts something holds the rest again.
func releaseHeld(m *Model) tea.Cmd {
	keys := m.held
	m.held = nil
	var cmds []tea.Cmd
	for i, k := range keys {
		if m.held != nil { // a held key waits for its own command
			m.held = append(m.held, keys[i:]...)
			break
		}
		_, cmd := m.Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// heldKeysMsg says the command keys typed ahead waited for has answered:
// the keys held meanwhile go on, in the order typed. since is when the
// hold it ends began: one for an earlier hold (its keys released sooner,
// when a dialog opened, and one of them started another) is ignored.
type heldKeysMsg struct{ since time.Time }

// lateMsg is the answer of a command that took longer than keys typed
// after it waited: it comes when it comes.
type lateMsg struct{ answer <-chan tea.Msg }

// bounded is cmd, answering within d: what it (or a command of its
// batch) has not answered by then arrives later as a lateMsg, so the
// keys typed after it are not held by a slow listing or request.
func bounded(cmd tea.Cmd, d time.Duration) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		answer := make(chan tea.Msg, 1)
		go func() {
			defer func() { // run outside Bubble Tea's own recovery
				if r := recover(); r != nil {
					answer <- uikit.StatusMsg{Kind: uikit.StatusErr, Text: fmt.Sprintf("internal error (please report it): %v", r)}
				}
			}()
			answer <- cmd()
		}()
		select {
		case msg := <-answer:
			if batch, ok := msg.(tea.BatchMsg); ok {
				out := make(tea.BatchMsg, len(batch))
				for i, c := range batch {
					out[i] = bounded(c, d)
				}
				return out
			}
			return msg
		case <-time.After(d):
			return lateMsg{answer: answer}
		}
	}
}

// otherPanesKey says whose a key is when the focused pane has no use for
// it (here lists none of its keys, enabled or not) and the other one has
// (there): "u is the local pane's key (upload): tab switches to it".
func otherPanesKey(msg tea.KeyMsg, here, there uikit.KeyHelp, thereName string, switchKey key.Binding) tea.Cmd {
	pressed := msg.String()
	for _, g := range here.Full {
		for _, b := range g {
			if slices.Contains(b.Keys(), pressed) {
				return nil
			}
		}
	}
	for _, g := range there.Full {
		for _, b := range g {
			if b.Enabled() && key.Matches(msg, b) {
				return uikit.Info(fmt.Sprintf("%s is the %s's key (%s): %s switches to it", text.Sanitize(uikit.PrettyKeys([]string{pressed})),
					thereName, b.Help().Desc, switchKey.Help().Key))
			}
		}
	}
	return nil
}

// onGlobalKey handles the keys that work whatever pane has focus.
func (m *Model) onGlobalKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.env.Keys()
	tc := m.ts.targets.Current()
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, k.QuitKeys()):
		return m.quit(), true
	case key.Matches(msg, k.Help):
		cmd = m.openOverlay(m.helpOverlay())
	case key.Matches(msg, k.SwitchPane):
		m.cycleFocus()
	case key.Matches(msg, k.Transfers):
		m.toggleTransfers()
	case key.Matches(msg, k.Keys) && !tc.Root:
		cmd = m.openOverlay(dialog.TargetKey(m.env, m.ts.keyring, tc))
	case key.Matches(msg, k.Keys):
		cmd = m.openOverlay(dialog.Key(m.env, m.ts.keyring, tc, false))
	case key.Matches(msg, k.SwitchTarget):
		cmd = m.openOverlay(dialog.Targets(m.env, m.ts.targets))
	case key.Matches(msg, k.Import) && !uikit.CanImport(tc), key.Matches(msg, k.StoreURL) && !uikit.CanStoreURL(tc):
		cmd = uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: elsewhere(m.ts.targets, k)})
	case key.Matches(msg, k.Import):
		cmd = m.openOverlay(m.remote.ImportDialog())
	case key.Matches(msg, k.StoreURL):
		cmd = m.openOverlay(m.remote.StoreURLDialog())
	case key.Matches(msg, k.Log):
		cmd = m.openOverlay(m.status.LogDialog())
	default:
		return nil, false
	}
	return cmd, true
}

// cycleFocus switches between the two panes only: a tab too many must
// never land somewhere unexpected (the transfers panel has its own key,
// and from it tab returns to the pane it was opened from).
func (m *Model) cycleFocus() {
	switch m.focus {
	case focusTransfers:
		m.setFocus(m.paneFocus)
	case focusLocal:
		m.setFocus(focusRemote)
	default:
		m.setFocus(focusLocal)
	}
}

// toggleTransfers shows and focuses the panel, or hides it and returns to
// the pane that had focus before.
func (m *Model) toggleTransfers() {
	switch {
	case !m.showXfers:
		m.showXfers = true
		m.setFocus(focusTransfers)
	case m.focus != focusTransfers:
		m.setFocus(focusTransfers)
	default:
		m.showXfers = false
		m.setFocus(m.paneFocus)
	}
	m.layout()
}

// typing reports whether keys go to a text field (which takes them whole).
func (m *Model) typing() bool {
	if _, ok := m.overlay.(uikit.Input); ok {
		return true
	}
	if m.studio != nil {
		return m.overlay == nil && m.studio.Typing()
	}
	return (m.focus == focusLocal && m.local.Typing()) || (m.focus == focusRemote && m.remote.Typing())
}

// quitNowMsg quits after the confirmation.
type quitNowMsg struct{}

// quit asks first when quitting would stop something, saying what.
func (m *Model) quit() tea.Cmd {
	q, ask := quitQuestion(m.local, m.transfers)
	if !ask {
		m.quitting = true
		return quitCmd(m.studio)
	}
	return m.openOverlay(dialog.NewQuit(m.env, q, uikit.Emit(quitNowMsg{})))
}

// refreshQuit rewrites an open quit dialog for the transfers as they are
// now: when the last one ended, it says quitting loses nothing.
func (m *Model) refreshQuit() {
	q, ok := m.overlay.(dialog.Quit)
	if !ok {
		return
	}
	text, ask := quitQuestion(m.local, m.transfers)
	if !ask {
		text = "Every transfer has ended: quitting now stops nothing. Quit?"
	}
	m.overlay = q.WithQuestion(text)
}

// quitQuestion describes, per kind, what quitting now does to the
// transfers still running and to uploads still being prepared; ok is
// false when nothing would be lost (no confirmation needed).
func quitQuestion(l *localpane.Pane, t *transfers.Panel) (question string, ok bool) {
	lines := t.QuitLines()
	preparing := l.Preparing() + t.Preparing()
	if len(lines) == 0 && preparing == 0 {
		return "", false
	}
	if preparing > 0 {
		lines = append(lines, "• An upload is still being prepared (its files are being listed and checked): it has not started, so nothing of it is kept.")
	}
	return "Quit anyway? What quitting does to unfinished transfers:\n" + strings.Join(lines, "\n"), true
}

// quitCmd quits, first taking back the studio's kitty image (s: nil when
// closed) so it does not stay in the terminal after fsdeck has gone.
func quitCmd(s *studio.Studio) tea.Cmd {
	if s != nil {
		if cmd := s.Quit(); cmd != nil {
			return tea.Sequence(cmd, tea.Quit)
		}
	}
	return tea.Quit
}

// suspendCmd hands the terminal back to the shell like any program on
// ctrl+z (Bubble Tea restores it and redraws on fg). The studio's kitty
// image (s: nil when closed) is taken down first: it would stay on the
// shell's screen.
func suspendCmd(s *studio.Studio) tea.Cmd {
	if s != nil {
		return tea.Sequence(s.Cover(true), tea.Suspend)
	}
	return tea.Suspend
}

// elsewhere says that importing and storing from a URL are another
// target's, and which (the first that does both).
func elsewhere(ts uikit.Targets, k *uikit.KeyMap) string {
	for i := range ts.Len() {
		if tc := ts.Conn(i); uikit.CanImport(tc) && uikit.CanStoreURL(tc) {
			title := text.Sanitize(tc.Title)
			return "importing and storing from a URL are " + title + "'s: " + k.SwitchTarget.Help().Key + " switches to " + title
		}
	}
	return "no target here imports or stores from a URL"
}
