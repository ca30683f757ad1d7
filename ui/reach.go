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

// observe records the outcome of a request to target ("" is Filestack).
// Only the root's Update and the components' Update call it.
func (e *env) observe(target string, err error) {
	r, known := reachOf(err)
	if !known {
		return
	}
	if target == "" {
		target = uikit.FilestackName
	}
	if e.reach == nil {
		e.reach = map[string]reach{}
	}
	e.reach[target] = r
}

// forget drops what was known of target: its key changed.
func (e *env) forgetReach(target string) { delete(e.reach, target) }

// reachText is the title bar's word on tc: nothing for the built-in
// emulator (in this process), else what the last request showed.
func (e *env) reachText(tc uikit.TargetConn) (text string, failed bool) {
	if tc.Local {
		return "", false
	}
	r := e.reach[tc.Name]
	switch r.state {
	case reachOK:
		return "connected", false
	case reachFailed:
		return "✗ " + r.why, true
	}
	return "key set, not checked yet", false
}

// reachOutcome gathers the requests of one command (a refresh asks once per
// file): one answer proves the service is reached; else the first error
// says why not.
type reachOutcome struct {
	tried, answered bool
	err             error
}

// note adds one request's error (nil: it answered, a not-found too).
func (o *reachOutcome) note(err error) {
	o.tried = true
	switch {
	case err == nil:
		o.answered, o.err = true, nil
	case !o.answered && o.err == nil:
		o.err = err
	}
}

// report records the outcome for target, when a request was made.
func (o reachOutcome) report(e *env, target string) {
	if o.tried {
		e.observe(target, o.err)
	}
}
