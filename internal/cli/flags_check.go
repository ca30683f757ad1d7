package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flag values are checked before anything is sent: a value a flag cannot
// take is exit status 2 with a sentence naming the flag, the value and
// what it takes (README, "Scripting").

// targetValue is --to/--target: a target's name, read case-insensitively
// (--to ImgBB is imgbb), as the names are the services'. Its type reads
// "string" in help, as before.
type targetValue struct{ p *string }

func (v targetValue) String() string     { return *v.p }
func (v targetValue) Type() string       { return "string" }
func (v targetValue) Set(s string) error { *v.p = strings.ToLower(strings.TrimSpace(s)); return nil }

// storeLocations are the storage locations Filestack takes (config.toml's
// [store] location has the same list).
var storeLocations = []string{"s3", "gcs", "azure", "dropbox", "rackspace"}

// maxFileConcurrency is config.toml's [transfers] files upper bound; its
// lower one is 1.
const maxFileConcurrency = 64

// checkStoreFlags checks --location and --access and puts them in the
// form the server takes (lower case). Empty values mean config.toml's.
func checkStoreFlags(location, access *string) error {
	if *location != "" {
		l := strings.ToLower(*location)
		if !slices.Contains(storeLocations, l) {
			return usageError("--location %q: use one of %s", *location, strings.Join(storeLocations, ", "))
		}
		*location = l
	}
	if *access != "" {
		a := strings.ToLower(*access)
		if a != "public" && a != "private" {
			return usageError("--access %q: use public or private", *access)
		}
		*access = a
	}
	return nil
}

// checkConcurrency checks --concurrency against config.toml's range
// (set: the flag was given, so 0 is refused too).
func checkConcurrency(n int, set bool) error {
	if set && (n < 1 || n > maxFileConcurrency) {
		return usageError("--concurrency %d: give a number of files from 1 to %d (config.toml's [transfers] files takes the same)", n, maxFileConcurrency)
	}
	return nil
}

// exclusiveAnnotation is the flag annotation cobra's
// MarkFlagsMutuallyExclusive sets (one space-separated group per entry).
const exclusiveAnnotation = "cobra_annotation_mutually_exclusive"

// checkExclusiveFlags gives every command of the tree that has flags
// marked mutually exclusive a check before cobra's own, so `--quiet
// --json` is exit 2 with a sentence of ours (cobra's is status 1 and
// reads "if any flags in the group [json quiet] are set none of the
// others can be"). The marks stay, so completion still leaves out a flag
// whose partner was given.
func checkExclusiveFlags(root *cobra.Command) {
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if !hasExclusive(c) {
			return
		}
		prev, prevE := c.PreRun, c.PreRunE
		c.PreRun = nil
		c.PreRunE = func(cmd *cobra.Command, args []string) error {
			if err := exclusiveFlags(cmd.Flags()); err != nil {
				return err
			}
			if prevE != nil {
				return prevE(cmd, args)
			}
			if prev != nil {
				prev(cmd, args)
			}
			return nil
		}
	}
	walk(root)
}

func hasExclusive(c *cobra.Command) bool {
	found := false
	c.Flags().VisitAll(func(f *pflag.Flag) { found = found || len(f.Annotations[exclusiveAnnotation]) > 0 })
	return found
}

// exclusiveFlags is the first group of fs's mutually exclusive flags of
// which more than one was given, as a usage error.
func exclusiveFlags(fs *pflag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if err != nil || !f.Changed {
			return
		}
		for _, group := range f.Annotations[exclusiveAnnotation] {
			var given []string
			for _, name := range strings.Fields(group) {
				if g := fs.Lookup(name); g != nil && g.Changed {
					given = append(given, "--"+name)
				}
			}
			if len(given) > 1 {
				err = usageError("%s cannot be used together: give one of them", joinAnd(given))
				return
			}
		}
	})
	return err
}

// joinAnd is "a and b", "a, b and c".
func joinAnd(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return fmt.Sprintf("%s and %s", strings.Join(s[:len(s)-1], ", "), s[len(s)-1])
}

// durationText is a duration flag kept as given, for parseExpiry (days
// and weeks beside Go's units); "duration" in help.
type durationText struct{ p *string }

func (v durationText) String() string     { return *v.p }
func (v durationText) Type() string       { return "duration" }
func (v durationText) Set(s string) error { *v.p = s; return nil }
