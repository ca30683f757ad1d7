package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
)

// serveLimits is serve's --limits: which hosting emulators keep their
// services' limits (quotas, daily caps, pacing). Every one does unless
// told otherwise; values apply in order, so "off,pastebin=on" lifts all
// but Pastebin's.
type serveLimits struct {
	spec []string
	off  map[string]bool
}

// Type names the value in help ("--limits spec").
func (l *serveLimits) Type() string { return "spec" }

// String is the spec given ("" for none, so help prints no default
// beside its own "on (default)").
func (l *serveLimits) String() string { return strings.Join(l.spec, ",") }

// Set takes on, off or NAME=on|off, comma-separated.
func (l *serveLimits) Set(v string) error {
	names := builtin.Registry().Mounted()
	if l.off == nil {
		l.off = map[string]bool{}
	}
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		name, state, scoped := strings.Cut(item, "=")
		if !scoped {
			name, state = "", item
		}
		if state != "on" && state != "off" {
			return fmt.Errorf("%q: want on, off or NAME=on|off (NAME one of %s)", item, strings.Join(names, ", "))
		}
		switch {
		case !scoped:
			for _, n := range names {
				l.off[n] = state == "off"
			}
		case slices.Contains(names, name):
			l.off[name] = state == "off"
		default:
			return fmt.Errorf("%q: no service named %q has limits to set (one of %s; Filestack's are --max-upload and the other flags)", item, name, strings.Join(names, ", "))
		}
		l.spec = append(l.spec, item)
	}
	return nil
}

// lifted lists, sorted, the services whose limits are off.
func (l *serveLimits) lifted() []string {
	var out []string
	for n, off := range l.off {
		if off {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// bannerLine says which services run without their limits ("" when all
// keep them).
func (l *serveLimits) bannerLine() string {
	off := l.lifted()
	if len(off) == 0 {
		return ""
	}
	return "  limits    off for " + strings.Join(off, ", ") + " (no quotas, daily caps or pacing)\n"
}
