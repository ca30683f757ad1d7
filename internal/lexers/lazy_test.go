package lexers

import (
	"os"
	"slices"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromalexers "github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// builtAtStart is whether anything built the registry before the tests
// ran (a package initialisation asking for a lexer).
var builtAtStart bool

func TestMain(m *testing.M) {
	builtAtStart = registry != nil
	os.Exit(m.Run())
}

// The registry is built on first use, not at start, and then has what
// chroma's has: the XML lexers, this package's Go lexers (Go, markdown),
// the analysers set once it is built (DNS zone files), content analysis
// and the monokai style.
func TestRegistryOnFirstUse(t *testing.T) {
	if builtAtStart {
		t.Fatal("the lexer registry was built at start")
	}
	for name, want := range map[string]string{"main.go": "Go", "README.md": "markdown", "x.py": "Python", "Makefile": "Makefile", "index.php": "PHP", "a.yaml": "YAML"} {
		if l := Match(name); l == nil || l.Config().Name != want {
			t.Errorf("Match(%q) = %v, want %s", name, l, want)
		}
	}
	if l := Analyse("#!/bin/sh\necho hi\n"); l == nil || l.Config().Name != "Bash" {
		t.Errorf("a shebang: %v", l)
	}
	if l := Analyse("$ORIGIN example.org.\n@ IN SOA ns.example.org. host.example.org. 1 2 3 4 5\n"); l == nil || l.Config().Name != "dns" {
		t.Errorf("a zone file: %v", l)
	}
	if l := Get("go"); l == nil || l.Config().Name != "Go" {
		t.Errorf("Get(go) = %v", l)
	}
	if s := Monokai(); s.Name != "monokai" || !s.Has(chroma.Keyword) {
		t.Errorf("monokai: %v", s.Name)
	}
	if len(Names(false)) < 250 {
		t.Errorf("only %d lexers", len(Names(false)))
	}
}

// The registry is chroma's: the same lexers and aliases, the same lexer
// for each name and each content, the same monokai.
func TestSameAsChroma(t *testing.T) {
	if a, b := Names(true), chromalexers.Names(true); !slices.Equal(a, b) {
		t.Errorf("%d names and aliases, chroma has %d", len(a), len(b))
	}
	name := func(l chroma.Lexer) string {
		if l == nil {
			return "(none)"
		}
		return l.Config().Name
	}
	for _, n := range []string{"a.go", "a.md", "a.html", "a.php", "a.tmpl", "a.rs", "a.c", "a.h", "a.ts", "a.tsx", "a.json", "a.toml", "a.sql", "a.rst", "a.svelte", "a.raku", "a.el", "a.lisp", "Caddyfile", "a.http", "a.erb", "a.gmi", "a.hx", "a.zed", "a.txt", "Dockerfile", "a.unknown"} {
		if a, b := name(Match(n)), name(chromalexers.Match(n)); a != b {
			t.Errorf("Match(%q) = %s, chroma %s", n, a, b)
		}
	}
	for _, text := range []string{"#!/usr/bin/env python3\nprint(1)\n", "<!DOCTYPE html>\n<html></html>\n", "<?php echo 1; ?>\n", "SELECT `a` FROM `b`;\n",
		"definition user {}\nrelation x\npermission y\n", "@ IN SOA a. b. 1 2 3 4 5\n", "plain words\n"} {
		if a, b := name(Analyse(text)), name(chromalexers.Analyse(text)); a != b {
			t.Errorf("Analyse(%q) = %s, chroma %s", text, a, b)
		}
	}
	if a, b := Monokai(), styles.Get("monokai"); a.Name != b.Name || a.Get(chroma.Keyword) != b.Get(chroma.Keyword) || a.Get(chroma.LiteralString) != b.Get(chroma.LiteralString) {
		t.Errorf("monokai differs from chroma's")
	}
}
