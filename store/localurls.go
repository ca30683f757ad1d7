package store

import "github.com/fsdeck/fsdeck/internal/text"

// LocalEndpoint is the Scope.Endpoint of local mode's rows: "local", not
// the server's URL, as its port may change between runs.
const LocalEndpoint = "local"

// SetLocalBase makes the ledger rebuild, on every read (List, Get,
// FindBySHA256, and so the engine's duplicate check), the URLs and links
// of local mode's hosting-target rows for the local server's current base
// URL, as base returns it ("" while there is none: left as recorded).
// They were recorded under the port of the session that uploaded them,
// which may be another one now; Filestack's rows keep no URL (it is built
// from the handle). base may be called from any goroutine.
func (l *Ledger) SetLocalBase(base func() string) { l.localBase.Store(base) }

// current is e as read for scope s: its URLs pointed at the local server
// in use when s is local mode's scope of a hosting target, whose emulator
// the local server mounts under /TARGET/ (so its URLs are there).
func (l *Ledger) current(s Scope, e Entry) Entry {
	if s.Target == "" || s.Endpoint != LocalEndpoint {
		return e
	}
	base, _ := l.localBase.Load().(func() string)
	if base == nil {
		return e
	}
	server := base()
	if server == "" {
		return e
	}
	mount := "/" + s.Target + "/"
	e.URL = text.RebaseURL(e.URL, mount, server)
	if len(e.Links) > 0 {
		links := make([]text.Link, len(e.Links))
		for i, lk := range e.Links {
			links[i] = text.Link{Label: lk.Label, URL: text.RebaseURL(lk.URL, mount, server)}
		}
		e.Links = links
	}
	return e
}
