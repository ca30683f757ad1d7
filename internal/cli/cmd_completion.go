package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
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
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
				return doc.GenManTree(root, hdr, dir)
			}
			return doc.GenMan(root, hdr, io.out)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "write one page per command (fsdeck.1, fsdeck-upload.1, …) into this directory")
	return cmd
}

// completeHandles offers the ledger's handles (file names as
// descriptions) for HANDLE arguments. It starts no server and writes
// nothing: the scope comes from the key, or from local mode's saved
// credentials.
func completeHandles(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if cmd.Name() == "transform" && len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	local, _ := cmd.Flags().GetBool("local")
	paths, err := store.DefaultPaths(os.Getenv)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	scope, ok := completionScope(paths, local)
	if target, _ := cmd.Flags().GetString("target"); isHostTarget(target) {
		scope, ok = hostCompletionScope(paths, target, local)
	}
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

// completionScope is the ledger scope openSession would use.
func completionScope(paths store.Paths, local bool) (store.Scope, bool) {
	if !local {
		if key, _, _ := store.NewSecrets().Get(store.SecretAPIKey); key != "" {
			cfg, _ := store.LoadConfig(paths.ConfigFile())
			c, err := filestack.New(clientConfig(cfg, key, "", 0))
			if err != nil {
				return store.Scope{}, false
			}
			return store.Scope{Endpoint: c.Config().APIBase, KeyFP: store.Fingerprint(key)}, true
		}
	}
	b, err := os.ReadFile(filepath.Join(paths.EmulatorDir(), "credentials.json"))
	var creds localCreds
	if err != nil || json.Unmarshal(b, &creds) != nil || creds.APIKey == "" {
		return store.Scope{}, false
	}
	return store.Scope{Endpoint: store.LocalEndpoint, KeyFP: store.Fingerprint(creds.APIKey)}, true
}

// hostCompletionScope is the ledger scope openHost would use for a
// hosting target, without starting a server.
func hostCompletionScope(paths store.Paths, target string, local bool) (store.Scope, bool) {
	in, ok := builtin.Registry().Info(target)
	if !ok {
		return store.Scope{}, false
	}
	if !local {
		if key, _, _ := store.NewSecrets().Get(store.TargetSecret(target)); key != "" {
			return store.Scope{Target: target, Endpoint: in.DefaultURL, KeyFP: store.Fingerprint(key)}, true
		}
	}
	sc, ok := completionScope(paths, true)
	sc.Target = target
	return sc, ok
}
