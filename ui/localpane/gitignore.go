package localpane

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// ignoreRule is one line of a .gitignore: a pattern relative to the
// directory of its file (base, slash-separated from the find's root).
type ignoreRule struct {
	base    string
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
	// anchored rules match the path below base; the others match the
	// name at any depth (git: a pattern without a slash but at its end).
	anchored bool
}

// ignoreRules are the rules in force in a directory, outermost first: the
// last one matching a path decides, as in git.
type ignoreRules []ignoreRule

// ignored reports whether rel (slash-separated, from the find's root) is
// excluded.
func (rs ignoreRules) ignored(rel string, isDir bool) bool {
	out := false
	for _, r := range rs {
		if r.dirOnly && !isDir {
			continue
		}
		sub := rel
		if r.base != "" {
			if !strings.HasPrefix(rel, r.base+"/") {
				continue
			}
			sub = rel[len(r.base)+1:]
		}
		if !r.anchored {
			sub = sub[strings.LastIndexByte(sub, '/')+1:]
		}
		if r.re.MatchString(sub) {
			out = !r.negate
		}
	}
	return out
}

// readIgnore adds the rules of dir's .gitignore (rel: dir from the
// find's root) to rs; a missing or unreadable file adds none.
func readIgnore(rs ignoreRules, dir, rel string) ignoreRules {
	f, err := os.Open(filepath.Join(dir, ".gitignore"))
	if err != nil {
		return rs
	}
	defer f.Close()
	out := rs[:len(rs):len(rs)] // appends never touch the parent's rules
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if r, ok := parseIgnoreLine(sc.Text(), rel); ok {
			out = append(out, r)
		}
	}
	return out
}

// parseIgnoreLine turns one .gitignore line into a rule (false: blank, a
// comment, or a pattern it cannot read).
func parseIgnoreLine(line, base string) (ignoreRule, bool) {
	line = strings.TrimRight(line, " \t\r")
	if line == "" || strings.HasPrefix(line, "#") {
		return ignoreRule{}, false
	}
	r := ignoreRule{base: base}
	if strings.HasPrefix(line, "!") {
		r.negate, line = true, line[1:]
	} else if strings.HasPrefix(line, `\`) {
		line = line[1:] // \# and \! are literal
	}
	if strings.HasSuffix(line, "/") {
		r.dirOnly, line = true, strings.TrimRight(line, "/")
	}
	if strings.Contains(line, "/") {
		r.anchored, line = true, strings.TrimPrefix(line, "/")
	}
	if line == "" {
		return ignoreRule{}, false
	}
	re, err := regexp.Compile("^" + globRegexp(line) + "$")
	if err != nil {
		return ignoreRule{}, false
	}
	r.re = re
	return r, true
}

// globRegexp translates a gitignore glob: * and ? within a name, ** across
// directories, [...] classes as they are.
func globRegexp(g string) string {
	var b strings.Builder
	for i := 0; i < len(g); i++ {
		c := g[i]
		switch {
		case strings.HasPrefix(g[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(g[i:], "/**") && i+3 == len(g):
			b.WriteString("/.*")
			i += 2
		case strings.HasPrefix(g[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			j := strings.IndexByte(g[i+1:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := g[i+1 : i+1+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j + 1
		case c == '\\' && i+1 < len(g):
			i++
			b.WriteString(regexp.QuoteMeta(g[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(g[i : i+1]))
		}
	}
	return b.String()
}
