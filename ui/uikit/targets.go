package uikit

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// FilestackName is Filestack's name among the targets (its ledger scope
// keeps Target "" so rows from before targets existed stay its own).
const FilestackName = "filestack"

// FilestackCaps is what Filestack can do, for the menus: any file, no
// documented size limit, delete (with the app secret) and metadata.
func FilestackCaps() hosts.Capabilities {
	return hosts.Capabilities{Kind: hosts.AnyFile, Delete: true, Stat: true}
}

// Targets are the session's upload targets as the root last set them:
// every target, the one the remote pane shows, and the live Filestack
// connection (which the K dialog can change). A Targets is a value: the
// root makes a new one whenever something changes and sends it to every
// component (TargetsMsg); nothing changes one in place.
type Targets struct {
	list []TargetConn
	cur  int
	fs   Connection
	mode Mode
}

// NewTargets takes the session's targets (Filestack alone when list names
// none), starting on the one named start when it is one of them; fs is
// Filestack's connection and mode whether it is the built-in server.
func NewTargets(list []TargetConn, start string, fs Connection, mode Mode) Targets {
	t := Targets{list: append([]TargetConn(nil), list...), fs: fs, mode: mode}
	if len(t.list) == 0 || t.list[0].Host != nil {
		t.list = append([]TargetConn{{Name: FilestackName, Title: "Filestack", Caps: FilestackCaps()}}, t.list...)
	}
	for i, tc := range t.list {
		if tc.Name == start {
			t.cur = i
		}
	}
	return t
}

// Len is how many targets there are.
func (t Targets) Len() int { return len(t.list) }

// Conn is the i-th target. Filestack's comes from the live connection.
func (t Targets) Conn(i int) TargetConn {
	tc := t.list[i]
	if tc.Host == nil {
		tc.Scope, tc.Endpoint, tc.Local = t.fs.Scope, t.fs.Endpoint, t.mode == ModeLocal
		tc.Caps = FilestackCaps()
	}
	return tc
}

// Index is the position of the target the remote pane shows.
func (t Targets) Index() int { return t.cur }

// Current is the target the remote pane shows.
func (t Targets) Current() TargetConn { return t.Conn(t.cur) }

// Named finds a target by registry name ("" is Filestack).
func (t Targets) Named(name string) (TargetConn, bool) {
	if name == "" {
		name = FilestackName
	}
	for i, tc := range t.list {
		if tc.Name == name {
			return t.Conn(i), true
		}
	}
	return TargetConn{}, false
}

// Title is a target's display name ("" is Filestack).
func (t Targets) Title(name string) string {
	if tc, ok := t.Named(name); ok && tc.Title != "" {
		return tc.Title
	}
	if name == "" {
		return "Filestack"
	}
	return name
}

// TitledError shows a host job's error under the target's title: the
// services' errors start with their registry name ("imgbb: accepts
// images only") while the interface's own checks say "ImgBB: …", and one
// panel had both.
func (t Targets) TitledError(target, msg string) string {
	if target == "" || target == FilestackName {
		return msg
	}
	if rest, ok := strings.CutPrefix(msg, target+": "); ok {
		return t.Title(target) + ": " + rest
	}
	return msg
}

// Keyed lists the targets with a real key configured (not pointed at the
// built-in emulator).
func (t Targets) Keyed() []TargetConn {
	var out []TargetConn
	for i := range t.list {
		if tc := t.Conn(i); !tc.Local {
			out = append(out, tc)
		}
	}
	return out
}

// Filestack is Filestack's live connection: its client, ledger scope and
// endpoint.
func (t Targets) Filestack() Connection { return t.fs }

// Mode says whether Filestack is the built-in server (local mode).
func (t Targets) Mode() Mode { return t.mode }

// Switched is t showing the target called name; false when there is
// none of that name (t is then unchanged).
func (t Targets) Switched(name string) (Targets, bool) {
	for i, tc := range t.list {
		if tc.Name == name {
			t.cur = i
			return t, true
		}
	}
	return t, false
}

// Reconnected is t with tc in place of the target of the same name (its
// key changed).
func (t Targets) Reconnected(tc TargetConn) Targets {
	t.list = append([]TargetConn(nil), t.list...)
	for i := range t.list {
		if t.list[i].Name == tc.Name {
			t.list[i] = tc
		}
	}
	return t
}

// Connected is t with Filestack reached through c (a key was entered:
// Filestack itself, no longer the built-in server).
func (t Targets) Connected(c Connection) Targets {
	t.fs, t.mode = c, ModeCloud
	return t
}

// Where says where a target is connected: the full endpoint, with
// "local emulator" in local mode.
func Where(tc TargetConn) string {
	if tc.Local {
		return "local emulator, " + tc.Endpoint
	}
	return tc.Endpoint
}

// shortWhere is Where for a menu row: "local /imgbb" or the service's
// host (the title bar shows the full endpoint once chosen).
func shortWhere(tc TargetConn) string {
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

// TargetLabel is a target's menu row: name, where, what it accepts.
func TargetLabel(tc TargetConn) string {
	return tc.Title + " · " + shortWhere(tc) + " · " + accepts(tc.Caps)
}

// accepts words a target's capabilities: "images only, up to 32 MiB,
// expiry, delete".
func accepts(c hosts.Capabilities) string {
	parts := []string{c.Kind.String()}
	if c.MaxSize > 0 {
		parts[0] += " ≤ " + FormatSize(c.MaxSize)
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

// MenuKey is the key of the i-th item of a menu of targets: 1…9, then a…z.
func MenuKey(i int) string {
	if i < 9 {
		return fmt.Sprint(i + 1)
	}
	return string(rune('a' + i - 9))
}

// TargetsMsg gives every component the targets after the root changed
// them (a switch, a key entered). The root sends it in the same Update as
// the change, so no key after it acts on the old ones.
type TargetsMsg struct{ Targets Targets }

// TargetSwitchedMsg says the target shown changed (or was rebuilt with a
// new key): components reload what depends on it.
type TargetSwitchedMsg struct{}

// ConnectedMsg says Filestack's connection changed (the K dialog): the
// components that use it reload.
type ConnectedMsg struct{}
