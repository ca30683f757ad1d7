package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// hostUploadFlags are upload's flags for hosting targets.
type hostUploadFlags struct {
	expiry, privacy string
	opts            hosts.UploadOptions
}

// checkUploadTarget checks upload's flags against the session's target's
// capabilities: the storage flags need a target that takes storage
// options (Filestack's), --intelligent intelligent ingestion, --part-size
// part uploads; --expiry and --privacy are checked against what the
// target offers (the root target has neither: they are for --to
// targets). It fills f.host.opts.
func (s *session) checkUploadTarget(f *uploadOptions) error {
	t := s.Target
	caps := t.Caps()
	if t.Info.Root {
		for _, fl := range []struct {
			set  bool
			name string
		}{{f.host.expiry != "" && !caps.Expiry.Supported(), "--expiry"}, {f.host.privacy != "" && !caps.Privacy, "--privacy"}} {
			if fl.set {
				return usageError("%s applies to hosting targets (--to imgbb, pastebin, …); %s has no such option", fl.name, t.Info.Title)
			}
		}
	}
	for _, fl := range []struct {
		set  bool
		name string
	}{{f.intelligent && !caps.Intelligent, "--intelligent"}, {f.storePath != "" && !caps.Storage, "--store-path"},
		{f.location != "" && !caps.Storage, "--location"}, {f.container != "" && !caps.Storage, "--container"},
		{f.region != "" && !caps.Storage, "--region"}, {f.access != "" && !caps.Storage, "--access"},
		{f.partSize != "" && !caps.Resume, "--part-size"}} {
		if fl.set {
			return usageError("%s is a Filestack storage option; %s does not take it", fl.name, t.Info.Name)
		}
	}
	opts, err := hostOptions(t.Info.Name, caps, f.host.expiry, f.host.privacy)
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
