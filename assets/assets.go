// Package assets embeds fsdeck's default configuration (which documents
// every option) and other static files.
//
// It imports nothing of fsdeck.
package assets

import _ "embed"

// DefaultConfig is config.toml with every option at its default.
//
//go:embed config.toml
var DefaultConfig []byte
