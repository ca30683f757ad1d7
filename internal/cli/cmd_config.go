package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/assets"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/store"
)

// configOptions are `fsdeck config SUB`'s: which subcommand.
type configOptions struct {
	IO      *iostreams.IOStreams
	factory *Factory
	// sub is path, check, init or default.
	sub string
}

// newCmdConfig is `fsdeck config` (the same as `config path`) and its
// subcommands; an unknown one is a usage error naming the four.
func newCmdConfig(f *Factory) *cobra.Command {
	run := func(sub string) error { return runConfig(&configOptions{IO: f.IOStreams, factory: f, sub: sub}) }
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Where config.toml is; check it; write the documented default",
		Long: `Without a subcommand, or with path, print where config.toml is
(FSDECK_CONFIG_DIR, else the platform's config directory).`,
		Args: cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("unknown config subcommand %q (path, check, init, default)", args[0])
			}
			return run("path")
		},
	}
	for _, c := range []struct{ sub, short string }{
		{"path", "Print where config.toml is"},
		{"check", "Check config.toml: each problem with its line, and exit status 1 if there is one"},
		{"init", "Write the documented default config.toml (never over an existing file)"},
		{"default", "Print the documented default config.toml"},
	} {
		cmd.AddCommand(newCmdConfigSub(f, c.sub, c.short, nil))
	}
	return cmd
}

// newCmdConfigSub is `fsdeck config SUB`.
func newCmdConfigSub(f *Factory, sub, short string, runF func(*configOptions) error) *cobra.Command {
	opts := &configOptions{IO: f.IOStreams, factory: f, sub: sub}
	return &cobra.Command{
		Use:   sub,
		Short: short,
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runConfig(opts)
		},
	}
}

// runConfig prints where the config lives, checks it, or writes the
// documented default.
func runConfig(o *configOptions) error {
	stdout := o.IO.Out
	paths, err := o.factory.Paths()
	if err != nil {
		return err
	}
	file := paths.ConfigFile()
	switch o.sub {
	case "path":
		fmt.Fprintln(stdout, file)
	case "check":
		_, warns := store.LoadConfig(file)
		if len(warns) == 0 {
			fmt.Fprintln(stdout, file+": ok")
			return nil
		}
		for _, w := range warns {
			fmt.Fprintln(stdout, w)
		}
		return errQuiet
	case "init":
		if _, err := os.Stat(file); err == nil {
			return fmt.Errorf("%s exists; not overwriting it", file)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(file, assets.DefaultConfig, 0o600); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "wrote", file)
	case "default":
		stdout.Write(assets.DefaultConfig)
	default:
		return usageError("unknown config subcommand %q (path, check, init, default)", o.sub)
	}
	return nil
}
