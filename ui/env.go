package ui

import "github.com/fsdeck/fsdeck/ui/uikit"

// env is what every component shares: the dependencies, the key map and
// the styles. It is one pointer, so switching from local mode to
// Filestack (the K dialog) reaches every component at once. Components
// read it; only the root changes it.
type env struct {
	// ui is the read-only part every component shares.
	ui *uikit.Env
	d  Deps
	// keys is the key map as configured; dialogs and global keys use it.
	keys uikit.KeyMap
	// scoped is what the panes and the studio match and show: keys with
	// a binding shadowed there taken away (see KeyMap.scoped).
	scoped uikit.ScopedKeys
	styles uikit.Styles
	// targets are the upload targets and the one the remote pane shows.
	targets uikit.Targets
	// uploadTo is the target last chosen with "upload to…".
	uploadTo string
	// reach is what the latest request to each target (by name) showed:
	// connected, or why it could not reach it (reach.go). Only Update
	// touches it.
	reach map[string]reach
}

// newEnv is the environment of d (whose Settings are complete).
func newEnv(d Deps) *env {
	return &env{ui: uikit.NewEnv(uikit.EnvOptions{Settings: d.Settings, Ledger: d.Ledger, Now: d.Now, Getenv: d.Getenv, Context: d.Context,
		Term: d.Clipboard, CopyEnv: d.CopyEnv}), d: d,
		targets: uikit.NewTargets(d.Targets, d.Target, uikit.Connection{Remote: d.Remote, Scope: d.Scope, Endpoint: d.Endpoint}, d.Mode), keys: d.Settings.Keys, scoped: d.Settings.Keys.Scoped(), styles: uikit.NewStyles(d.Settings.Theme)}
}
