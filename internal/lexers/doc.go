// Package lexers is chroma's lexers package
// (github.com/alecthomas/chroma/v2/lexers at v2.27.0, the version go.mod
// names; MIT licence in COPYING) with its registry built the first time a
// lexer is asked for instead of at start, and monokai, the preview's
// style, read on first use. chroma's lexers and styles packages read all
// their XML in their package initialisation: 20-90 ms before main in
// every run of fsdeck, most of the time to its first frame.
//
// To update it with chroma: copy lexers/*.go (not the tests) and
// lexers/embedded, keep lexers.go's lazy registry, turn init functions
// that use the registry into afterLoad functions (registry.Get, not Get),
// name the fields of chroma.Rule and chroma.Token literals (go vet), and
// copy styles/monokai.xml; the Go files keep chroma's dot import
// (staticcheck ST1001 ignored per file).
package lexers
