// Package builtin lists the hosting targets fsdeck ships. It is the one
// place a new target is registered, so front ends take this registry and
// never import a service package themselves.
package builtin

import (
	"net/http"
	"strings"

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

// Mount serves every target's emulator under /NAME/ in front of next (the
// Filestack emulator), all accepting keys. It matches on the raw prefix
// rather than through http.ServeMux, whose path cleaning would redirect
// Filestack URLs that embed another URL ("…/https://host/x").
func Mount(next http.Handler, keys []string) http.Handler {
	return MountWithin(next, keys, hosts.NewBudget(0))
}

// MountWithin is Mount with the emulators sharing budget for what they
// keep in memory (Mount: hosts.DefaultEmulatorBudget): past it the oldest
// stored files are evicted, and a file larger than it is refused with the
// service's own "too large" error.
func MountWithin(next http.Handler, keys []string, budget *hosts.Budget) http.Handler {
	r := Registry()
	type route struct {
		prefix string
		h      http.Handler
	}
	var routes []route
	for _, name := range r.Names() {
		in, _ := r.Info(name)
		if in.Emulator != nil {
			routes = append(routes, route{"/" + name + "/", in.Emulator(hosts.EmulatorSetup{Prefix: "/" + name, Keys: keys, Budget: budget})})
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		for _, rt := range routes {
			if strings.HasPrefix(req.URL.Path, rt.prefix) {
				rt.h.ServeHTTP(w, req)
				return
			}
		}
		next.ServeHTTP(w, req)
	})
}
