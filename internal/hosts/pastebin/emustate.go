package pastebin

import (
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// paste is one paste's entry in the state file; its text is the store's
// file named ID.
type paste struct {
	ID string `json:"id"`
	// Owner is the api_dev_key's hosts.Owner, for the count limits.
	Owner   string    `json:"owner"`
	Name    string    `json:"name,omitempty"`
	Private int       `json:"private"`
	Expires time.Time `json:"expires,omitzero"`
	// User owns the paste ("" for a guest paste); Created for listing.
	User    string    `json:"user,omitempty"`
	Created time.Time `json:"created"`
	Size    int64     `json:"size"`
	// Format is api_paste_format as given ("" for none: plain text).
	Format string `json:"format,omitempty"`
	// Hits counts views of the page and the raw text; kept in memory and
	// written with the next change of the state.
	Hits int64 `json:"hits,omitempty"`
}

type state struct {
	Pastes   map[string]*paste `json:"pastes"`
	Sessions map[string]string `json:"sessions"`
}

// load takes what the state file holds; pastes that expired while the
// server was stopped are deleted now.
func (e *Emulator) load() {
	var st state
	_ = e.store.Load(&st) // logged by the store; a bad state starts empty
	for k, u := range st.Sessions {
		e.sessions[k] = u
	}
	kept, changed := hosts.RestoreFiles(e.store, st.Pastes,
		func(id string, p *paste) bool { return p.ID == id && validID(id) },
		func(p *paste, size int64) { p.Size = size },
		func(id string, size int64) *paste {
			// Without its state a paste's privacy is unknown: it may have
			// been private, so it is kept on disk (and in the state) but
			// not shown.
			if !validID(id) {
				return nil
			}
			return &paste{ID: id, Private: 2, Created: e.opts.Now(), Size: size}
		})
	e.pastes = kept
	e.mu.Lock()
	if e.sweep(e.opts.Now()) || changed {
		_ = e.save()
	}
	e.mu.Unlock()
}

// validID accepts the ids newID makes, so a tampered state file cannot
// name a path outside the store.
func validID(id string) bool {
	if len(id) != 8 {
		return false
	}
	for _, r := range id {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// save writes the state; the caller holds e.mu.
func (e *Emulator) save() error {
	return e.store.Save(state{Pastes: e.pastes, Sessions: e.sessions})
}

// sweep deletes expired pastes (text included) and reports whether any
// went; the caller holds e.mu and saves the state.
func (e *Emulator) sweep(now time.Time) bool {
	gone := false
	for id, p := range e.pastes {
		if !p.Expires.IsZero() && !now.Before(p.Expires) {
			delete(e.pastes, id)
			e.store.Remove(id, p.Size)
			gone = true
		}
	}
	return gone
}
