package ui

import (
	"errors"
	"fmt"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// What is known about reaching a target with a real key: a key alone
// proves nothing, so the title bar says "not checked yet" until a request
// to the service answers (connected) or fails to reach it or is refused
// (the reason, naming the host).
type reachState int

const (
	reachUnknown reachState = iota
	reachOK
	reachFailed
)

// reach is the latest outcome of a request to one target.
type reach struct {
	state reachState
	why   string // reachFailed: in words, host named
}

// reachOf words a request's outcome; known is false when err says
// nothing about reaching the service (a cancelled request, a file the
// service refused by its rules, a server error after it answered).
func reachOf(err error) (r reach, known bool) {
	var he *hosts.Error
	switch {
	case err == nil:
		return reach{state: reachOK}, true
	case filestack.IsCancelled(err):
		return reach{}, false
	case text.NetError(err) != "":
		return reach{state: reachFailed, why: text.NetError(err)}, true
	case filestack.IsUnauthorized(err):
		return reach{state: reachFailed, why: "the API key was refused"}, true
	case errors.As(err, &he) && he.Kind == hosts.KindAuth && he.Status != 0:
		// Status 0 is a check before any request (no key, no token).
		return reach{state: reachFailed, why: fmt.Sprintf("the key was refused (HTTP %d)", he.Status)}, true
	}
	return reach{}, false
}

// observe records the outcome of a request to target ("" is the root
// target).
func (s *targetState) observe(target string, err error) {
	r, known := reachOf(err)
	if !known {
		return
	}
	if target == "" {
		target = s.targets.Root().Name
	}
	if s.reach == nil {
		s.reach = map[string]reach{}
	}
	s.reach[target] = r
}

// reachText is the title bar's word on tc: nothing for the built-in
// emulator (in this process), else what the last request showed.
func (s *targetState) reachText(tc uikit.TargetConn) (text string, failed bool) {
	if tc.Local {
		return "", false
	}
	r := s.reach[tc.Name]
	switch r.state {
	case reachOK:
		return "connected", false
	case reachFailed:
		return "✗ " + r.why, true
	}
	return "key set, not checked yet", false
}
