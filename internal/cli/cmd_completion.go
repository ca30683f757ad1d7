package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	sess "github.com/fsdeck/fsdeck/internal/session"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
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
				return root.GenBashCompletionV2(io.Out, true)
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
	scope, ok := completionScope(sec, paths, local)
	if target, _ := cmd.Flags().GetString("target"); !sess.DefaultTarget(builtin.Registry(), target) {
		scope, ok = hostCompletionScope(sec, paths, target, local)
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
func completionScope(sec *store.Secrets, paths store.Paths, local bool) (store.Scope, bool) {
	if !local {
		if key, _, _ := sec.Get(store.SecretAPIKey); key != "" {
			cfg, _ := store.LoadConfig(paths.ConfigFile())
			c, err := filestack.New(sess.ClientConfig(cfg, key, "", 0))
			if err != nil {
				return store.Scope{}, false
			}
			return store.Scope{Endpoint: c.Config().APIBase, KeyFP: store.Fingerprint(key)}, true
		}
	}
	b, err := os.ReadFile(filepath.Join(paths.EmulatorDir(), "credentials.json"))
	var creds sess.LocalCreds
	if err != nil || json.Unmarshal(b, &creds) != nil || creds.APIKey == "" {
		return store.Scope{}, false
	}
	return store.Scope{Endpoint: store.LocalEndpoint, KeyFP: store.Fingerprint(creds.APIKey)}, true
}

// hostCompletionScope is the ledger scope openHost would use for a
// hosting target, without starting a server.
func hostCompletionScope(sec *store.Secrets, paths store.Paths, target string, local bool) (store.Scope, bool) {
	in, ok := builtin.Registry().Info(target)
	if !ok {
		return store.Scope{}, false
	}
	if !local {
		if key, _, _ := sec.Get(store.TargetSecret(target)); key != "" {
			return store.Scope{Target: target, Endpoint: in.DefaultURL, KeyFP: store.Fingerprint(key)}, true
		}
	}
	sc, ok := completionScope(sec, paths, true)
	sc.Target = target
	return sc, ok
}
