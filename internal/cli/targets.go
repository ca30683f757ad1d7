package cli

import (
	"github.com/fsdeck/fsdeck/internal/hosts"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// rootUICaps are the abilities the interface has for the root target:
// its remote pane lists the ledger (the interface's contract for the
// root target, which it reaches through Deps.Remote).
func rootUICaps(c hosts.Capabilities) hosts.Capabilities {
	return hosts.Capabilities{Kind: c.Kind, Delete: c.Delete, List: true, Stat: c.Stat, DirectURL: c.DirectURL}
}

// targetConns are every upload target for the interface (session.Targets).
func (s *session) targetConns() (out []ui.TargetConn, problem string) {
	ts, problem := s.Targets()
	for _, t := range ts {
		out = append(out, targetConn(t))
	}
	return out, problem
}

// targetConn is the interface's view of a target. The root target is the
// interface's own connection (Deps.Remote), so its TargetConn carries no
// Host and no client.
func targetConn(t *sess.Target) ui.TargetConn {
	tc := ui.TargetConn{Name: t.Info.Name, Title: t.Info.Title, Host: t.Service, Scope: t.Scope,
		Endpoint: t.Endpoint, Local: t.Local, Caps: t.Caps(), KeyHelp: t.Info.KeyHelp, HTTP: t.HTTP}
	if t.Info.Root {
		tc.Host, tc.HTTP, tc.Caps = nil, nil, rootUICaps(tc.Caps)
	}
	return tc
}

// connectTarget rebuilds a hosting target after the interface saved its
// key (an empty key points it back at its emulator).
func (s *session) connectTarget(name, key string) (ui.TargetConn, error) {
	t, err := s.ConnectTarget(name, key)
	if err != nil {
		return ui.TargetConn{}, err
	}
	return targetConn(t), nil
}

// targetName is the session's target ("filestack" unless --to chose
// another).
func (s *session) targetName() string { return s.Target.Info.Name }

// scope is the ledger scope of the session's target.
func (s *session) scope() store.Scope { return s.Target.Scope }

// fileURL is an entry's main URL: the one the ledger keeps, or the one
// the target derives from the id (Filestack's CDN URL).
func (s *session) fileURL(e store.Entry) string {
	if d, ok := s.Target.Service.(hosts.URLDeriver); ok && e.URL == "" && s.Target.Caps().DerivedURL {
		return d.URLOf(e.Handle)
	}
	return e.URL
}

// lacks refuses a command or flag the session's target has no power for
// (has is its capability).
func (s *session) lacks(has bool, what string) error { return lacks(s.Target, has, what) }

// lacks refuses what target t has no power for, a usage error (status 2)
// like any other unsupported operation.
func lacks(t *sess.Target, has bool, what string) error {
	if has {
		return nil
	}
	return usageError("%s is Filestack-only; %s does not offer it (drop --to %s)", what, t.Info.Title, t.Info.Name)
}

// startTarget is the target the interface opens on: --to, else the one
// remembered in view.json, else the first (the root target, Filestack: a
// remembered name no longer registered falls back too).
func startTarget(flag, viewFile string, targets []ui.TargetConn) string {
	name := flag
	if name == "" {
		if v, ok, _ := store.LoadViewState(viewFile); ok {
			name = v.Target
		}
	}
	for _, t := range targets {
		if t.Name == name {
			return name
		}
	}
	if len(targets) == 0 {
		return ""
	}
	return targets[0].Name
}

// saveView writes the interface's view state, keeping the remembered
// target (the interface's view state does not carry it).
func saveView(path string, v store.ViewState) error {
	if old, ok, _ := store.LoadViewState(path); ok {
		v.Target = old.Target
	}
	return store.SaveViewState(path, v)
}

// saveTarget remembers the current target, keeping the rest of the view
// state.
func saveTarget(path, name string) error {
	v, _, _ := store.LoadViewState(path) // unreadable: start from the defaults
	v.Target = name
	return store.SaveViewState(path, v)
}

// targetTitle is the session's target as people name it.
func (s *session) targetTitle() string { return s.Target.Info.Title }
