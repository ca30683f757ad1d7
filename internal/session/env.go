package session

import "os"

// Getenv reads the process's own environment. The binary's Factory takes
// it (cli.Main); everything else is handed a getenv, so commands and the
// interface run in-process on an environment of their own.
func Getenv(key string) string { return os.Getenv(key) }
