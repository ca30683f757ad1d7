// Package session is fsdeck's one composition root, used by the commands
// (internal/cli) and, through them, the interface: from the environment,
// config.toml and the OS keyring it builds the endpoint ($FSDECK_ENDPOINT),
// the credentials, the connection (Filestack, or local mode on the
// built-in server), the local server itself (shared between fsdeck
// processes of one data directory, taken over when its owner exits), the
// ledger, the chosen target (the registry's root target, Filestack, on
// the connection, or the one --to names, on its service or its emulator)
// and the transfer engine for it.
//
// It is the one package that reads the process's environment (Getenv;
// nothing else calls os.Getenv, os.LookupEnv or os.Environ, and only
// internal/iostreams names the standard streams:
// TestOnlyTheSessionReadsTheEnvironment holds both). Mistakes in what it
// is given are *UsageError, which the commands exit with status 2 for.
//
// It imports the store, the targets' registry and contract, the engine,
// the filestack client and emulator and internal/text; never internal/cli,
// ui or its components (TestSessionImportsNoFrontEnd): they take what it
// builds, and the interface's types are made from it in internal/cli.
package session
