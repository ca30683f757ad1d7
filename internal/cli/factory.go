package cli

import (
	"context"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/store"
)

// Factory is what every command takes from outside the program: the
// standard streams, the environment and the working directory. What is
// built from them (paths, secrets) is built when a command asks, not
// before (cli/cli's cmdutil.Factory). The binary gets the process's own
// (see Main); tests give their own, so commands run in-process and in
// parallel without touching the process's environment or directory.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Getenv reads the environment.
	Getenv func(string) string
	// WorkDir is the directory relative paths on the command line are
	// resolved against.
	WorkDir string
}

// systemFactory is the process's streams, its environment (as the
// session reads it) and its directory.
func systemFactory() *Factory {
	dir, _ := os.Getwd() // "" leaves relative paths to the process
	return &Factory{IOStreams: iostreams.System(), Getenv: sess.Getenv, WorkDir: dir}
}

// Paths are the data and config directories the environment names.
func (f *Factory) Paths() (store.Paths, error) { return store.DefaultPaths(f.Getenv) }

// Secrets are the keys in the environment and the OS keyring.
func (f *Factory) Secrets() *store.Secrets { return store.NewSecretsEnv(f.Getenv) }

// Abs is p resolved against the working directory ("" and absolute
// paths unchanged).
func (f *Factory) Abs(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if f.WorkDir == "" {
		return absPath(p)
	}
	return filepath.Join(f.WorkDir, p)
}

// runE is a command's RunE: args, when not nil, records the positional
// arguments in opts; then a test's runF, when given, gets opts to check
// what was parsed, or else run runs the command.
func runE[O any](opts O, args func([]string), runF, run func(context.Context, O) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, a []string) error {
		if args != nil {
			args(a)
		}
		if runF != nil {
			return runF(cmd.Context(), opts)
		}
		return run(cmd.Context(), opts)
	}
}
