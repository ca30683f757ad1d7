// Package builtin lists the hosting targets fsdeck ships. It is the one
// place a new target is registered, so front ends take this registry and
// never import a service package themselves.
package builtin

import (
	"github.com/fsdeck/fsdeck/hosts"
	"github.com/fsdeck/fsdeck/hosts/ddownload"
	"github.com/fsdeck/fsdeck/hosts/gofile"
	"github.com/fsdeck/fsdeck/hosts/gyazo"
	"github.com/fsdeck/fsdeck/hosts/imgbb"
	"github.com/fsdeck/fsdeck/hosts/pastebin"
)

// Registry returns a fresh registry of every built-in target.
func Registry() *hosts.Registry {
	return hosts.NewRegistry(
		imgbb.Info(),
		pastebin.Info(),
		gyazo.Info(),
		gofile.Info(),
		ddownload.Info(),
		// A new target: add its package's Info() here.
	)
}
