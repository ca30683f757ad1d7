package lexers

import (
	"embed"
	"io/fs"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

//go:embed embedded
var embedded embed.FS

// The registry is built on first use, not at start: the 270-odd XML
// lexers cost 20-90 ms to read, which chroma's own lexers package spends
// in its package initialisation, before main, in every run of fsdeck.
// This package's Go lexers are recorded at initialisation (cheap: their
// rules are functions) and registered after the XML ones, in the same
// order as chroma's; what chroma does in init functions with the
// registry (analysers set on XML lexers) is done once it is built.
var (
	registry     *chroma.LexerRegistry
	registryOnce sync.Once
	coded        []chroma.Lexer
	afterLoad    []func()
)

// global is the registry, built the first time it is asked for.
func global() *chroma.LexerRegistry {
	registryOnce.Do(func() {
		reg := chroma.NewLexerRegistry()
		paths, err := fs.Glob(embedded, "embedded/*.xml")
		if err != nil {
			panic(err)
		}
		for _, path := range paths {
			reg.Register(chroma.MustNewXMLLexer(embedded, path))
		}
		for _, l := range coded {
			reg.Register(l)
		}
		registry = reg
		for _, f := range afterLoad {
			f()
		}
	})
	return registry
}

// Names of all lexers, optionally including aliases.
func Names(withAliases bool) []string {
	return global().Names(withAliases)
}

// Get a Lexer by name, alias or file extension.
//
// Note that this if there isn't an exact match on name or alias, this will
// call Match(), so it is not efficient.
func Get(name string) chroma.Lexer {
	return global().Get(name)
}

// MatchMimeType attempts to find a lexer for the given MIME type.
func MatchMimeType(mimeType string) chroma.Lexer {
	return global().MatchMimeType(mimeType)
}

// Match returns the first lexer matching filename.
//
// Note that this iterates over all file patterns in all lexers, so it's not
// particularly efficient.
func Match(filename string) chroma.Lexer {
	return global().Match(filename)
}

// Register a Lexer of this package (at initialisation only): it joins
// the registry when that is built.
func Register(lexer chroma.Lexer) chroma.Lexer {
	coded = append(coded, lexer)
	return lexer
}

// Analyse text content and return the "best" lexer..
func Analyse(text string) chroma.Lexer {
	return global().Analyse(text)
}

// PlaintextRules is used for the fallback lexer as well as the explicit
// plaintext lexer.
func PlaintextRules() chroma.Rules {
	return chroma.Rules{
		"root": []chroma.Rule{
			{Pattern: `.+`, Type: chroma.Text, Mutator: nil},
			{Pattern: `\n`, Type: chroma.Text, Mutator: nil},
		},
	}
}

// Fallback lexer if no other is found.
var Fallback chroma.Lexer = chroma.MustNewLexer(&chroma.Config{
	Name:      "fallback",
	Filenames: []string{"*"},
	Priority:  -1,
}, PlaintextRules)
