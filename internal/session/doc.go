// Package session is fsdeck's one composition root: it turns the
// environment, config.toml and the keyring into what the commands and the
// interface run on. It is the one package that reads the process's
// environment (Getenv; nothing else calls os.Getenv, os.LookupEnv or
// os.Environ, and only internal/iostreams names the standard streams:
// TestOnlyTheSessionReadsTheEnvironment holds both).
//
// It imports the store, the targets' registry and contract, the filestack
// client and emulator and internal/text; never internal/cli, ui or its
// components (they take what it builds).
package session
