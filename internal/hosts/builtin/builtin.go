// Package builtin lists the targets fsdeck ships: Filestack (the root
// target, whose emulator is the server itself) and the hosting services
// mounted beside it. It is the one place a new target is registered, so
// front ends take this registry and never import a target's package
// themselves. It imports internal/hosts and the target packages only.
package builtin

import (
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/ddownload"
	"github.com/fsdeck/fsdeck/internal/hosts/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts/gofile"
	"github.com/fsdeck/fsdeck/internal/hosts/gyazo"
	"github.com/fsdeck/fsdeck/internal/hosts/imgbb"
	"github.com/fsdeck/fsdeck/internal/hosts/pastebin"
)

// Registry returns a fresh registry of every built-in target.
func Registry() *hosts.Registry {
	return hosts.NewRegistry(
		filestack.Info(),
		imgbb.Info(),
		pastebin.Info(),
		gyazo.Info(),
		gofile.Info(),
		ddownload.Info(),
		// A new target: add its package's Info() here.
	)
}

// Mount serves every mounted target's emulator under /NAME/ in front of
// next (the root target's: the Filestack emulator), all accepting keys and keeping what they store on
// disk under dir/hosts/NAME (dir is the server's data directory), within
// one hosts.DefaultDiskQuota together (MountWithin for more: fsync, another
// quota). log receives what goes wrong with
// their stored state (nil discards). It matches on the raw prefix rather
// than through http.ServeMux, whose path cleaning would redirect Filestack
// URLs that embed another URL ("…/https://host/x").
func Mount(next http.Handler, keys []string, dir string, log *slog.Logger) http.Handler {
	return MountWithin(next, hosts.EmulatorSetup{Keys: keys, Dir: dir, Quota: hosts.NewQuota(0), Memory: hosts.NewMemory(0), Log: log})
}

// MountWithin is Mount with the settings the emulators share given in
// shared: Keys, Dir (the data directory; each emulator gets
// Dir/hosts/NAME), Quota (past it uploads are refused with the service's
// own error; nothing is evicted), Memory, Log, Fsync, KeyRequired, and Unlimited
// (for all) or UnlimitedFor (the services named).
// When next requires security on every request (the Filestack
// emulator under fsdeck serve --security-required reports it with a
// SecurityRequired method), the emulators require their key on every
// route too: one listener, one rule.
func MountWithin(next http.Handler, shared hosts.EmulatorSetup) http.Handler {
	if sr, ok := next.(interface{ SecurityRequired() bool }); ok && sr.SecurityRequired() {
		shared.KeyRequired = true
	}
	r := Registry()
	type route struct {
		prefix string
		hosts  []hosts.HostRoute
		h      http.Handler
	}
	var routes []route
	for _, name := range r.Mounted() {
		in, _ := r.Info(name)
		if in.Emulator != nil {
			s := shared
			s.Prefix = in.Mount()
			s.Unlimited = shared.Unlimited || slices.Contains(shared.UnlimitedFor, name)
			if shared.Dir != "" {
				s.Dir = filepath.Join(shared.Dir, "hosts", name)
			}
			routes = append(routes, route{s.Prefix, in.Hosts, in.Emulator(s)})
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// A request to one of a service's own hostnames (api.imgbb.com,
		// pastebin.com, … mapped to this server in /etc/hosts) goes to
		// its emulator whatever its path; the emulator answers with the
		// service's own URLs.
		for _, rt := range routes {
			if hr, ok := hosts.RouteHost(req.Host, rt.hosts); ok {
				rt.h.ServeHTTP(w, hosts.ViaOwnHost(req, rt.prefix, hr, rt.hosts))
				return
			}
		}
		for _, rt := range routes {
			if strings.HasPrefix(req.URL.Path, rt.prefix+"/") {
				rt.h.ServeHTTP(w, req)
				return
			}
		}
		next.ServeHTTP(w, req)
	})
}

// Hostnames lists every hostname fsdeck serve answers a mounted service
// on (Info.Hosts), sorted by service then as each lists them.
func Hostnames() []string {
	r := Registry()
	var out []string
	for _, name := range r.Mounted() {
		in, _ := r.Info(name)
		for _, h := range in.Hosts {
			out = append(out, h.Host)
		}
	}
	return out
}
