package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// newCmdVersion is `fsdeck version`.
func newCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{Use: "version", Short: "Print the version, VCS revision and commit date", Args: noArgs,
		Run: func(*cobra.Command, []string) { fmt.Fprintln(f.IOStreams.Out, "fsdeck", versionText()) }}
}

// versionText is the release with the VCS revision and its date, as the
// Go toolchain stamped them into the binary.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	return versionFrom(info)
}

// versionFrom formats the build's VCS stamp. Go stamps it when building
// in a git checkout (not from a linked worktree, nor with -buildvcs=false);
// vcs.time is the commit's date.
func versionFrom(info *debug.BuildInfo) string {
	var rev, at, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return version + " (" + info.GoVersion + ", built without VCS information)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return fmt.Sprintf("%s (revision %s%s, %s, %s)", version, rev, dirty, at, info.GoVersion)
}
