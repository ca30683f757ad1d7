package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// completionCommand writes a completion script; HANDLE arguments complete
// from the ledger (see completeHandles).
func completionCommand(root *cobra.Command, io *stdio) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Print a completion script for the shell. For example:

  source <(fsdeck completion bash)
  fsdeck completion zsh > "${fpath[1]}/_fsdeck"
  fsdeck completion fish > ~/.config/fish/completions/fsdeck.fish
  fsdeck completion powershell | Out-String | Invoke-Expression

HANDLE arguments complete from the ledger of the current endpoint and key.`,
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args:      exactArgs(1, "one shell: bash, zsh, fish or powershell"),
		RunE: func(_ *cobra.Command, args []string) error {
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(io.out, true)
			case "zsh":
				return root.GenZshCompletion(io.out)
			case "fish":
				return root.GenFishCompletion(io.out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(io.out)
			}
			return usageError("unknown shell %q (bash, zsh, fish, powershell)", args[0])
		},
	}
}

// manCommand writes the man page of the whole command tree.
func manCommand(root *cobra.Command, io *stdio) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "man",
		Short: "Print fsdeck(1), generated from the command tree (or write every page to --dir)",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			hdr := &doc.GenManHeader{Title: "FSDECK", Section: "1", Source: "fsdeck " + version, Manual: "fsdeck manual"}
			// A fixed date keeps the page reproducible between builds.
			t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			hdr.Date = &t
			root.DisableAutoGenTag = true
			if dir != "" {
				return doc.GenManTree(root, hdr, dir)
			}
			return doc.GenMan(root, hdr, io.out)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "write one page per command (fsdeck.1, fsdeck-upload.1, …) into this directory")
	return cmd
}

// completeHandles offers the ledger's handles (with their file names as
// descriptions) for HANDLE arguments. It opens the ledger read-only in
// spirit: no server is started and nothing is written.
func completeHandles(ctx context.Context) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		_ = ctx
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}
