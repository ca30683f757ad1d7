package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
)

// stdio is the process's standard streams, passed to every command so
// tests can run them in-process.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// errIsTerminal reports whether stderr is a terminal (progress is drawn
// only then).
func (s *stdio) errIsTerminal() bool { return isTerminal(s.err) }

// inIsTerminal reports whether stdin is a terminal (confirmations are asked
// only then).
func (s *stdio) inIsTerminal() bool { return isTerminal(s.in) }

// connFlags are the flags every command that talks to Filestack or the
// local server shares with the TUI.
type connFlags struct {
	local bool
	addr  string
	// partSize (bytes) overrides config.toml's part size when not 0.
	partSize int64
	// target is --to/--target: the upload target ("" = Filestack).
	target string
	// busyFallback lets local mode take a free port when its address is
	// held by something else (the interface, which says so); headless
	// commands refuse instead, as their URLs would die with them.
	busyFallback bool
}

func (c *connFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&c.local, "local", false, "use the built-in server even when an API key is set")
	cmd.Flags().StringVar(&c.addr, "addr", "", "address of the local-mode server (default from config.toml, 127.0.0.1:7337)")
	names := targetNames(builtin.Registry())
	help := "the target: " + strings.Join(names, ", ") + " (default filestack)"
	cmd.Flags().StringVar(&c.target, "target", "", help)
	cmd.Flags().StringVar(&c.target, "to", "", "same as --target")
	for _, f := range []string{"target", "to"} {
		cmd.RegisterFlagCompletionFunc(f, cobra.FixedCompletions(names, cobra.ShellCompDirectiveNoFileComp))
	}
}

// newRoot builds the command tree. fsdeck alone, or with a directory,
// opens the interface; everything else is a subcommand.
func newRoot(ctx context.Context, io *stdio) *cobra.Command {
	var cf connFlags
	root := &cobra.Command{
		Use:   "fsdeck [dir]",
		Short: "A terminal file manager for Filestack, with headless commands for scripts",
		Long: `fsdeck — a terminal file manager for Filestack.

With no API key (FILESTACK_API_KEY or the keyring), fsdeck runs in local
mode against its built-in server. With no command, or a directory, it opens
the two-pane interface; the commands below do the same work from scripts,
on the same transfer journal and ledger.`,
		Version:       version,
		Args:          rootArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		// SuggestionsFor (called by rootArgs, not by cobra's own lookup)
		// matches only prefixes unless a distance is set: "uplaod" is 2
		// edits from "upload".
		SuggestionsMinimumDistance: 2,
		ValidArgsFunction:          cobra.FixedCompletions(nil, cobra.ShellCompDirectiveFilterDirs),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := ""
			if len(args) > 0 {
				dir = args[0]
			}
			return runTUI(ctx, cf, dir, io)
		},
	}
	cf.register(root)
	root.SetVersionTemplate("{{.Name}} " + versionText() + "\n")
	root.SetIn(io.in)
	root.SetOut(io.out)
	root.SetErr(io.err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError("%v", err) })
	root.AddCommand(legacyCommands(ctx, io)...)
	root.AddCommand(clientCommands(ctx, io)...)
	root.AddCommand(completionCommand(root, io), manCommand(root, io))
	return root
}

// rootArgs accepts at most one directory. Anything else is a mistyped
// command or a missing directory, and says which command was probably
// meant.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	arg := args[0]
	if info, err := os.Stat(arg); err == nil && info.IsDir() && len(args) == 1 {
		return nil
	}
	if s := cmd.SuggestionsFor(arg); len(s) > 0 {
		for i := range s {
			s[i] = strconv.Quote(s[i])
		}
		return usageError("unknown command %q for %q; did you mean %s?", arg, cmd.Name(), strings.Join(s, " or "))
	}
	if len(args) > 1 {
		return usageError("unknown command %q for %q (the interface takes one directory)", args[0], cmd.Name())
	}
	return usageError("%s is not a directory, nor a command (run \"fsdeck --help\")", arg)
}

// legacyCommands are serve, key, config, doctor and version: they keep
// their own flag parsing (and flags) from before the command tree.
func legacyCommands(ctx context.Context, io *stdio) []*cobra.Command {
	raw := func(use, short string, run func(args []string) error) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, DisableFlagParsing: true,
			RunE: func(_ *cobra.Command, args []string) error { return run(args) }}
	}
	return []*cobra.Command{
		raw("serve [flags]", "Run the Filestack-compatible server (fsdeck serve --help for its flags)",
			func(args []string) error { return runServe(ctx, args, io.out, io.err) }),
		raw("key set|delete|status [--secret|--all|--target NAME]", "Store, remove or describe the API key and app secret (or a hosting target's key) in the OS keyring",
			func(args []string) error { return runKey(args, io.in, io.out, io.err) }),
		raw("config [path|check|init|default]", "Where config.toml is; check it; write the documented default",
			func(args []string) error { return runConfig(args, io.out) }),
		raw("doctor", "Check the ledger; back up and rebuild it if damaged",
			func(args []string) error { return runDoctor(ctx, args, io.out) }),
		{Use: "version", Short: "Print the version, VCS revision and commit date", Args: noArgs,
			Run: func(*cobra.Command, []string) { fmt.Fprintln(io.out, "fsdeck", versionText()) }},
	}
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

// noArgs is cobra.NoArgs with the usage exit status.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError("%q takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}

// minArgs is cobra.MinimumNArgs with the usage exit status and a word for
// what is missing.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageError("%s needs %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// exactArgs is cobra.ExactArgs with the usage exit status.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError("%s needs %s", cmd.CommandPath(), what)
		}
		return nil
	}
}
