package cli

import (
	"context"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// completionCommand writes a completion script; HANDLE arguments complete
// from the ledger (see completeHandles).
func newCmdCompletion(f *Factory, root *cobra.Command) *cobra.Command {
	io := f.IOStreams
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Print a completion script for the shell. For example:

  source <(fsdeck completion bash)    # plain bash; bash-completion is used when loaded
  fsdeck completion zsh > "${fpath[1]}/_fsdeck"
  fsdeck completion fish > ~/.config/fish/completions/fsdeck.fish
  fsdeck completion powershell | Out-String | Invoke-Expression

HANDLE arguments complete from the ledger of the current endpoint and key.`,
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args:      exactArgs(1, "one shell: bash, zsh, fish or powershell"),
		RunE: func(_ *cobra.Command, args []string) error {
			switch args[0] {
			case "bash":
				return genBashCompletion(root, io.Out)
			case "zsh":
				return root.GenZshCompletion(io.Out)
			case "fish":
				return root.GenFishCompletion(io.Out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(io.Out)
			}
			return usageError("unknown shell %q (bash, zsh, fish, powershell)", args[0])
		},
	}
}

// completeHandles offers the ledger's handles (file names as
// descriptions) for HANDLE arguments. It starts no server and writes
// nothing: the scope comes from the key, or from local mode's saved
// credentials.
func completeHandles(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return ledgerHandles(f, cmd, args, toComplete)
	}
}

// ledgerHandles is completeHandles's work.
func ledgerHandles(f *Factory, cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if cmd.Name() == "transform" && len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	local, _ := cmd.Flags().GetBool("local")
	paths, err := f.Paths()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	sec := f.Secrets()
	target, _ := cmd.Flags().GetString("target")
	scope, ok := sess.ScopeOf(sec, paths, target, local)
	if _, err := os.Stat(paths.LedgerPath()); !ok || err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	// Like every reader of the ledger, completion holds the shared lock:
	// while fsdeck doctor replaces the file, it offers nothing.
	unlock, err := store.ShareLedger(paths, 200*time.Millisecond)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer unlock()
	l, err := store.Open(paths.LedgerPath())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	entries, _ := l.List(ctx, scope)
	var out []cobra.Completion
	for _, e := range entries {
		if strings.HasPrefix(e.Handle, toComplete) && !slices.Contains(args, e.Handle) {
			out = append(out, cobra.CompletionWithDesc(e.Handle, text.Sanitize(e.Filename)))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
