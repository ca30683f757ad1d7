package ui

import (
	"fmt"
	"net/url"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// filestackName is Filestack's name among the targets (its ledger scope
// keeps Target "" so rows from before targets existed stay its own).
const filestackName = "filestack"

// filestackCaps is what Filestack can do, for the menus: any file, no
// documented size limit, delete (with the app secret) and metadata.
var filestackCaps = hosts.Capabilities{Kind: hosts.AnyFile, Delete: true, Stat: true}

// targetSet is every upload target of the session, which one the remote
// pane shows and the last "upload to" choice. It lives in env, so a switch
// reaches every component at once; only the root changes it.
type targetSet struct {
	list     []uikit.TargetConn
	cur      int
	uploadTo string
}

// newTargetSet takes the session's targets (Filestack alone when Deps
// names none) and starts on Deps.Target when it is one of them.
func newTargetSet(d *Deps) targetSet {
	ts := targetSet{list: append([]uikit.TargetConn(nil), d.Targets...)}
	if len(ts.list) == 0 || ts.list[0].Host != nil {
		ts.list = append([]uikit.TargetConn{{Name: filestackName, Title: "Filestack", Caps: filestackCaps}}, ts.list...)
	}
	for i, tc := range ts.list {
		if tc.Name == d.Target {
			ts.cur = i
		}
	}
	return ts
}

// targetList is the targets, Filestack alone for an env built without
// them (components tested on their own).
func (e *env) targetList() []uikit.TargetConn {
	if len(e.targets.list) == 0 {
		e.targets = newTargetSet(&e.d)
	}
	return e.targets.list
}

// conn is the i-th target. Filestack's comes from the live connection,
// which the K dialog can change.
func (e *env) conn(i int) uikit.TargetConn {
	tc := e.targetList()[i]
	if tc.Host == nil {
		tc.Scope, tc.Endpoint, tc.Local = e.d.Scope, e.d.Endpoint, e.d.Mode == uikit.ModeLocal
		tc.Caps = filestackCaps
	}
	return tc
}

// target is the target the remote pane shows.
func (e *env) target() uikit.TargetConn { return e.conn(e.targets.cur) }

// targetNamed finds a target by registry name ("" is Filestack).
func (e *env) targetNamed(name string) (uikit.TargetConn, bool) {
	if name == "" {
		name = filestackName
	}
	for i, tc := range e.targetList() {
		if tc.Name == name {
			return e.conn(i), true
		}
	}
	return uikit.TargetConn{}, false
}

// targetTitle is a target's display name ("" is Filestack).
func (e *env) targetTitle(name string) string {
	if tc, ok := e.targetNamed(name); ok && tc.Title != "" {
		return tc.Title
	}
	if name == "" {
		return "Filestack"
	}
	return name
}

// titledError shows a host job's error under the target's title: the
// services' errors start with their registry name ("imgbb: accepts
// images only") while the interface's own checks say "ImgBB: …", and one
// panel had both.
func (e *env) titledError(target, msg string) string {
	if target == "" || target == filestackName {
		return msg
	}
	if rest, ok := strings.CutPrefix(msg, target+": "); ok {
		return e.targetTitle(target) + ": " + rest
	}
	return msg
}

// keyed lists the targets with a real key configured (not pointed at the
// built-in emulator).
func (e *env) keyed() []uikit.TargetConn {
	var out []uikit.TargetConn
	for i := range e.targetList() {
		if tc := e.conn(i); !tc.Local {
			out = append(out, tc)
		}
	}
	return out
}

// where says where a target is connected: the full endpoint, with
// "local emulator" in local mode.
func where(tc uikit.TargetConn) string {
	if tc.Local {
		return "local emulator, " + tc.Endpoint
	}
	return tc.Endpoint
}

// shortWhere is where for a menu row: "local /imgbb" or the service's
// host (the title bar shows the full endpoint once chosen).
func shortWhere(tc uikit.TargetConn) string {
	u, err := url.Parse(tc.Endpoint)
	switch {
	case err != nil || u.Host == "":
		return tc.Endpoint
	case tc.Local && u.Path != "":
		return "local " + u.Path
	case tc.Local:
		return "local"
	}
	return u.Host
}

// targetLabel is a target's menu row: name, where, what it accepts.
func targetLabel(tc uikit.TargetConn) string {
	return tc.Title + " · " + shortWhere(tc) + " · " + accepts(tc.Caps)
}

// accepts words a target's capabilities: "images only, up to 32 MiB,
// expiry, delete".
func accepts(c hosts.Capabilities) string {
	parts := []string{c.Kind.String()}
	if c.MaxSize > 0 {
		parts[0] += " ≤ " + uikit.FormatSize(c.MaxSize)
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{c.Expiry.Supported(), "expiry"}, {c.Privacy, "privacy"}, {c.Delete, "delete"}, {c.List, "list"}} {
		if f.on {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, ", ")
}

// menuKey is the key of the i-th item of a target menu: 1…9, then a…z.
func menuKey(i int) string {
	if i < 9 {
		return fmt.Sprint(i + 1)
	}
	return string(rune('a' + i - 9))
}

// switchTargetMsg asks the root to show another target's files.
type switchTargetMsg struct{ name string }

// targetSwitchedMsg says the current target changed; components reload
// what depends on it.
type targetSwitchedMsg struct{}

// targetMenu is the switcher: every target with where it is connected
// and what it accepts, the current one under the cursor.
func targetMenu(e *env) uikit.Overlay {
	items := make([]uikit.MenuItem, len(e.targetList()))
	for i := range e.targetList() {
		tc := e.conn(i)
		items[i] = uikit.MenuItem{Key: menuKey(i), Label: targetLabel(tc), Msg: switchTargetMsg{name: tc.Name}}
	}
	m := uikit.NewMenu(e.ui, "Show files of…", items)
	return m.WithCursor(e.targets.cur)
}

// switchTarget makes name the current target and remembers it for the
// next run; the root then has the panes reload (targetSwitchedMsg).
func switchTarget(e *env, name string) tea.Cmd {
	i := -1
	for j, tc := range e.targetList() {
		if tc.Name == name {
			i = j
		}
	}
	if i < 0 {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "unknown target " + text.Sanitize(name)})
	}
	e.targets.cur = i
	tc := e.target()
	cmds := []tea.Cmd{uikit.Info("showing " + text.Sanitize(tc.Title) + " (" + text.Sanitize(where(tc)) + ")")}
	if save := e.d.SaveTarget; save != nil {
		cmds = append(cmds, func() tea.Msg {
			if err := save(name); err != nil {
				return uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "could not remember the target: " + err.Error()}
			}
			return nil
		})
	}
	return tea.Batch(cmds...)
}
