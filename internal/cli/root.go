package cli

import (
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	sess "github.com/fsdeck/fsdeck/internal/session"
)

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
	// store and intelligent are the root target's storage options from
	// the command's flags (upload, store-url), over config.toml's.
	store       filestack.StoreOptions
	intelligent bool
	// net is --verbose, --debug, --timeout, --retries and --progress
	// (the headless commands', not the interface's).
	net netFlags
}

// register adds the connection flags and the headless commands' own
// (--verbose, --timeout…: see netFlags).
func (c *connFlags) register(cmd *cobra.Command) {
	c.registerTUI(cmd)
	c.net.register(cmd)
}

// registerTUI adds the flags the interface shares with the commands.
func (c *connFlags) registerTUI(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&c.local, "local", false, "use the built-in server even when an API key is set")
	cmd.Flags().StringVar(&c.addr, "addr", "", "address of the local-mode server (default from config.toml, 127.0.0.1:7337)")
	names := sess.TargetNames(builtin.Registry())
	help := "the target: " + strings.Join(names, ", ") + " (default filestack)"
	cmd.Flags().Var(targetValue{&c.target}, "target", help)
	cmd.Flags().Var(targetValue{&c.target}, "to", "same as --target")
	for _, f := range []string{"target", "to"} {
		cmd.RegisterFlagCompletionFunc(f, cobra.FixedCompletions(names, cobra.ShellCompDirectiveNoFileComp))
	}
}

// newRoot builds the command tree. fsdeck alone, or with a directory,
// opens the interface; everything else is a subcommand.
func newRoot(f *Factory) *cobra.Command {
	opts := &tuiOptions{IO: f.IOStreams, factory: f}
	root := &cobra.Command{
		Use:   "fsdeck [dir]",
		Short: "A terminal file manager for Filestack, with headless commands for scripts",
		Long: `fsdeck — a terminal file manager for Filestack.

With no API key (FILESTACK_API_KEY or the keyring), fsdeck runs in local
mode against its built-in server. With no command, or a directory, it opens
the two-pane interface; the commands below do the same work from scripts,
on the same transfer journal and ledger.`,
		Version:       version,
		Args:          rootArgs(f),
		SilenceErrors: true,
		SilenceUsage:  true,
		// SuggestionsFor (called by rootArgs, not by cobra's own lookup)
		// matches only prefixes unless a distance is set: "uplaod" is 2
		// edits from "upload".
		SuggestionsMinimumDistance: 2,
		// The commands, else the shell's own file names (a directory to
		// open): the directories-only directive would have bash (v2)
		// drop the commands cobra lists and offer nothing.
		ValidArgsFunction: cobra.FixedCompletions(nil, cobra.ShellCompDirectiveDefault),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Dir = args[0]
			}
			return runTUI(cmd.Context(), opts)
		},
	}
	opts.conn.registerTUI(root)
	root.Flags().StringVar(&opts.CwdFile, "cwd-file", "", "on quit, write the local pane's last directory to `FILE` (for a shell function that goes there, see README)")
	root.SetVersionTemplate("{{.Name}} " + versionText() + "\n")
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError("%v", err) })
	root.AddCommand(
		newCmdServe(f, nil),
		newCmdKey(f),
		newCmdConfig(f),
		newCmdDoctor(f, nil),
		newCmdVersion(f),
		newCmdUpload(f, nil),
		newCmdSync(f, nil),
		newCmdResume(f, nil),
		newCmdGet(f, nil),
		newCmdLs(f, nil),
		newCmdStat(f, nil),
		newCmdImport(f, nil),
		newCmdStoreURL(f, nil),
		newCmdRm(f, nil),
		newCmdURL(f, nil),
		newCmdTransform(f, nil),
	)
	root.AddCommand(newCmdCompletion(f, root), newCmdMan(f, root))
	checkExclusiveFlags(root)
	registerCompletions(root)
	return root
}

// rootArgs accepts at most one directory. Anything else is a mistyped
// command or a missing directory, and says which command was probably
// meant.
func rootArgs(f *Factory) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error { return checkRootArgs(f, cmd, args) }
}

func checkRootArgs(f *Factory, cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	arg := args[0]
	if info, err := os.Stat(f.Abs(arg)); err == nil && info.IsDir() && len(args) == 1 {
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
