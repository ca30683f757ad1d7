package uikit

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Targets are the session's upload targets as the root last set them:
// every target and the one the remote pane shows; one of them is the root
// target (the registry's Root(): the one whose emulator is the server,
// reached through the connection the ctrl+k dialog can change). A Targets is
// a value: the root makes a new one whenever something changes and sends
// it to every component (TargetsMsg); nothing changes one in place.
type Targets struct {
	list []TargetConn
	cur  int
	root int
	mode Mode
}

// NewTargets takes the session's targets, starting on the one named start
// when it is one of them. root is the root target as the session
// connected it (ConnTarget): it takes the place of the entry of its name
// in list, or comes first when list has none. mode says whether the root
// is the built-in server.
func NewTargets(list []TargetConn, start string, root TargetConn, mode Mode) Targets {
	root.Root = true
	t := Targets{list: append([]TargetConn(nil), list...), root: -1, mode: mode}
	for i := range t.list {
		if t.list[i].Name == root.Name {
			t.list[i], t.root = root, i
		}
	}
	if t.root < 0 {
		t.list, t.root = append([]TargetConn{root}, t.list...), 0
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

// Conn is the i-th target.
func (t Targets) Conn(i int) TargetConn { return t.list[i] }

// Index is the position of the target the remote pane shows.
func (t Targets) Index() int { return t.cur }

// Current is the target the remote pane shows.
func (t Targets) Current() TargetConn { return t.Conn(t.cur) }

// Root is the root target: the one whose emulator is the server, whose
// ledger rows and jobs name no target (Target ""), and which the
// transfer engine has as its own target (a zero Targets has none).
func (t Targets) Root() TargetConn {
	if t.root >= len(t.list) {
		return TargetConn{}
	}
	return t.list[t.root]
}

// IsRoot reports whether name ("" included) is the root target's.
func (t Targets) IsRoot(name string) bool { return name == "" || name == t.Root().Name }

// Named finds a target by registry name ("" is the root target).
func (t Targets) Named(name string) (TargetConn, bool) {
	if t.IsRoot(name) {
		return t.Root(), true
	}
	for i, tc := range t.list {
		if tc.Name == name {
			return t.Conn(i), true
		}
	}
	return TargetConn{}, false
}

// Title is a target's display name ("" is the root target's).
func (t Targets) Title(name string) string {
	if tc, ok := t.Named(name); ok && tc.Title != "" {
		return tc.Title
	}
	return name
}

// TitledError shows a host job's error under the target's title: the
// services' errors start with their registry name ("imgbb: accepts
// images only") while the interface's own checks say "ImgBB: …", and one
// panel had both. The root target's errors are its client's, worded
// already.
func (t Targets) TitledError(target, msg string) string {
	if t.IsRoot(target) {
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

// NeedsKey reports whether tc lacks the key it needs to reach its
// service: with a real key for the root target (cloud mode), a target
// pointed at its built-in emulator is there only because the session
// found no key of its own (keyring, environment, config). In local mode
// every target is the emulator's on purpose, and none needs a key.
func (t Targets) NeedsKey(tc TargetConn) bool { return t.mode == ModeCloud && tc.Local && !tc.Root }

// Mode says whether the root target is the built-in server (local mode).
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
			tc.Root = i == t.root
			t.list[i] = tc
		}
	}
	return t
}

// Connected is t with the root target reached through a new connection
// (root, made by ConnTarget: a key was entered, so the service itself, no
// longer the built-in server).
func (t Targets) Connected(root TargetConn) Targets {
	root.Root = true
	t.list = append([]TargetConn(nil), t.list...)
	t.list[t.root], t.mode = root, ModeCloud
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

// ConnectedMsg says the root target's connection changed (the ctrl+k dialog): the
// components that use it reload.
type ConnectedMsg struct{}
