// Package store is fsdeck's local state: the SQLite ledger of remote files,
// the upload journal for resuming, settings, and secrets in the OS keyring.
//
// It keeps its own types and imports neither the transfer engine nor the
// targets (internal/transfer, internal/hosts): the engine reaches the
// ledger through internal/transfer/bookkeeping, and what the ledger shares
// with the targets (a labelled link, a local-mode URL's rebasing) comes
// from internal/text.
//
// It imports of fsdeck only assets and internal/text: never the engine, the
// targets, the Filestack client or a front end.
package store

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// Paths are where fsdeck keeps its data and configuration.
type Paths struct {
	Data   string // ledger, local-mode server data
	Config string // config.toml
}

// DefaultPaths follows each OS's conventions: XDG on Linux and BSDs
// (XDG_DATA_HOME, else ~/.local/share), ~/Library/Application Support on
// macOS, %LocalAppData% on Windows. FSDECK_DATA_DIR and FSDECK_CONFIG_DIR
// override them (tests, portable installs).
func DefaultPaths(getenv func(string) string) (Paths, error) {
	var p Paths
	data, err := dataHome(getenv)
	if err != nil {
		return p, err
	}
	p.Data = filepath.Join(data, "fsdeck")
	if d := getenv("FSDECK_DATA_DIR"); d != "" {
		p.Data = d
	}
	cfg, err := configHome(getenv)
	if err != nil {
		return p, err
	}
	p.Config = filepath.Join(cfg, "fsdeck")
	if d := getenv("FSDECK_CONFIG_DIR"); d != "" {
		p.Config = d
	}
	return p, nil
}

func dataHome(getenv func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return d, nil
		}
		return "", errors.New("%LocalAppData% is not set")
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support"), nil
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("neither $XDG_DATA_HOME nor $HOME is set")
	}
	return filepath.Join(home, ".local", "share"), nil
}

func configHome(getenv func(string) string) (string, error) {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
			return d, nil
		}
		if home := getenv("HOME"); home != "" {
			return filepath.Join(home, ".config"), nil
		}
	}
	return os.UserConfigDir()
}

// Ensure creates the directories with owner-only permissions.
func (p Paths) Ensure() error {
	for _, d := range []string{p.Data, p.Config} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	return nil
}

// LedgerPath is the SQLite database file.
func (p Paths) LedgerPath() string { return filepath.Join(p.Data, "ledger.db") }

// EmulatorDir is where local mode's server keeps files.
func (p Paths) EmulatorDir() string { return filepath.Join(p.Data, "local-server") }

// ConfigFile is the TOML configuration.
func (p Paths) ConfigFile() string { return filepath.Join(p.Config, "config.toml") }
