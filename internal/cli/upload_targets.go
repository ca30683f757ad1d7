package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts"
	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
)

// hostUploadFlags are upload's flags for hosting targets.
type hostUploadFlags struct {
	expiry, privacy string
	opts            hosts.UploadOptions
}

// checkUploadTarget checks upload's flags against the session's target:
// Filestack's storage flags are refused elsewhere, --expiry and --privacy
// are checked against the target's capabilities (and refused on
// Filestack, which has neither). It fills f.host.opts.
func (s *session) checkUploadTarget(f *uploadOptions) error {
	if s.host == nil {
		for _, fl := range []struct {
			set  bool
			name string
		}{{f.host.expiry != "", "--expiry"}, {f.host.privacy != "", "--privacy"}} {
			if fl.set {
				return usageError("%s applies to hosting targets (--to imgbb, pastebin, …); Filestack has no such option", fl.name)
			}
		}
		return nil
	}
	name := s.host.info.Name
	for _, fl := range []struct {
		set  bool
		name string
	}{{f.intelligent, "--intelligent"}, {f.storePath != "", "--store-path"}, {f.location != "", "--location"},
		{f.container != "", "--container"}, {f.region != "", "--region"}, {f.access != "", "--access"},
		{f.partSize != "", "--part-size"}} {
		if fl.set {
			return usageError("%s is a Filestack storage option; %s does not take it", fl.name, name)
		}
	}
	caps := s.host.host.Capabilities()
	opts, err := hostOptions(name, caps, f.host.expiry, f.host.privacy)
	f.host.opts = opts
	return err
}

// hostOptions parses --expiry and --privacy for a target.
func hostOptions(name string, caps hosts.Capabilities, expiry, privacy string) (hosts.UploadOptions, error) {
	var o hosts.UploadOptions
	if expiry != "" {
		if !caps.Expiry.Supported() {
			return o, usageError("--expiry: %s has no expiry option (uploads stay until deleted)", name)
		}
		d, err := parseExpiry(expiry)
		if err != nil {
			return o, usageError("--expiry %q: %v", expiry, err)
		}
		if !caps.Expiry.Allows(d) {
			return o, usageError("--expiry %q: %s offers %s", expiry, name, expiryChoices(caps.Expiry))
		}
		o.Expiry = d
	}
	if privacy != "" {
		if !caps.Privacy {
			return o, usageError("--privacy: %s has no privacy setting", name)
		}
		p, ok := map[string]hosts.Privacy{"public": hosts.Public, "unlisted": hosts.Unlisted, "private": hosts.Private}[privacy]
		if !ok {
			return o, usageError("--privacy %q: use public, unlisted or private", privacy)
		}
		o.Privacy = p
	}
	return o, nil
}

// parseExpiry reads a duration such as 10m, 1h, 2d or 1w (days and weeks
// beside Go's units, as services count expiry in them).
func parseExpiry(s string) (time.Duration, error) {
	for unit, d := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, unit); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("give a positive whole number of %s, such as 2%s", map[string]string{"d": "days", "w": "weeks"}[unit], unit)
			}
			return time.Duration(v) * d, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("give a duration such as 10m, 1h, 2d or 1w")
	}
	return d, nil
}

// expiryChoices words what a target accepts as expiry.
func expiryChoices(r hosts.ExpiryRule) string {
	if len(r.Choices) > 0 {
		out := make([]string, len(r.Choices))
		for i, c := range r.Choices {
			out[i] = shortDuration(c)
		}
		return strings.Join(out, ", ")
	}
	return "expiry from " + shortDuration(r.Min) + " to " + shortDuration(r.Max)
}

// shortDuration is d in the largest whole unit --expiry takes.
func shortDuration(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d >= 7*day && d%(7*day) == 0:
		return strconv.Itoa(int(d/(7*day))) + "w"
	case d >= day && d%day == 0:
		return strconv.Itoa(int(d/day)) + "d"
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return d.String()
}

// uploadTarget is where upload's jobs go: Filestack through the client
// (with the storage options of config.toml and the flags), or the hosting
// target with the checked options.
func (s *session) uploadTarget(f *uploadOptions) transfer.Target {
	ts := bookkeeping.For(s.ledger, s.scope())
	st := filestack.StoreOptions{Location: or(f.location, s.cfg.Store.Location), Container: or(f.container, s.cfg.Store.Container),
		Region: or(f.region, s.cfg.Store.Region), Access: or(f.access, s.cfg.Store.Access)}
	t := transfer.Target{Service: fstarget.New(s.conn.client, fstarget.Options{Store: st, Intelligent: f.intelligent || s.cfg.Intelligent}),
		Journal: ts, Ledger: ts}
	if s.host != nil {
		t.Service, t.UploadOptions = s.host.host, f.host.opts
	}
	return t
}
