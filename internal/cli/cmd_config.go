package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/fsdeck/fsdeck/assets"
	"github.com/fsdeck/fsdeck/store"
)

// runConfig prints where the config lives, checks it, or writes the
// documented default.
func runConfig(args []string, stdout io.Writer) error {
	paths, err := store.DefaultPaths(os.Getenv)
	if err != nil {
		return err
	}
	file := paths.ConfigFile()
	sub := "path"
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
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
		return usageError("unknown config subcommand %q (path, check, init, default)", sub)
	}
	return nil
}
