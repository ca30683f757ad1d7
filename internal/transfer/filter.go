package transfer

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dustin/go-humanize"
)

// Filter decides which walked files go, with rclone's --include and
// --exclude rules and --min-size/--max-size bounds:
//
//   - a glob is matched against the file's path below the walked root,
//     slash-separated (a file named on its own: its name);
//   - `*` is any run of characters but `/`, `**` any run including `/`,
//     `?` one character but `/`, `[a-z]` and `[!a-z]` (or `[^a-z]`) a
//     class, `{a,b}` either alternative, `\` makes the next character
//     literal; matching is case-sensitive;
//   - a glob starting with `/` matches from the root; any other matches a
//     whole trailing part of the path (`*.jpg` matches `a/b.jpg`, `b/*.jpg`
//     matches `x/b/c.jpg`, neither matches `xb/c.jpg`);
//   - a glob ending in `/` is a directory and everything below it
//     (`cache/` is `cache/**`);
//   - every --include rule is tried first, then every --exclude rule, each
//     in the order given; the first that matches decides; with at least one
//     --include a file that matches no rule is left out (rclone's implicit
//     `--exclude /**`), else it goes;
//   - the size bounds are inclusive.
type Filter struct {
	rules            []filterRule
	includes         bool
	minSize, maxSize int64 // -1: no bound
}

type filterRule struct {
	include bool
	glob    string
	re      *regexp.Regexp
}

// NewFilter builds a filter; minSize and maxSize below 0 mean no bound. A
// glob it cannot read is an error naming it.
func NewFilter(include, exclude []string, minSize, maxSize int64) (*Filter, error) {
	f := &Filter{includes: len(include) > 0, minSize: minSize, maxSize: maxSize}
	for _, set := range []struct {
		include bool
		globs   []string
	}{{true, include}, {false, exclude}} {
		for _, g := range set.globs {
			re, err := GlobRegexp(g)
			if err != nil {
				flag := "--exclude"
				if set.include {
					flag = "--include"
				}
				return nil, fmt.Errorf("%s %q: %v", flag, g, err)
			}
			f.rules = append(f.rules, filterRule{include: set.include, glob: g, re: re})
		}
	}
	return f, nil
}

// Active says whether the filter can leave anything out.
func (f *Filter) Active() bool {
	return f != nil && (len(f.rules) > 0 || f.minSize >= 0 || f.maxSize >= 0)
}

// Keep says whether the file at rel with size goes, and why: which rule
// or bound left it out, or the --include it matched.
func (f *Filter) Keep(rel string, size int64) (keep bool, why string) {
	if f == nil {
		return true, ""
	}
	matched := ""
	for _, r := range f.rules {
		if !r.re.MatchString(rel) {
			continue
		}
		if !r.include {
			return false, fmt.Sprintf("excluded by --exclude %q", r.glob)
		}
		matched = fmt.Sprintf("matches --include %q", r.glob)
		break
	}
	switch {
	case f.includes && matched == "":
		return false, "matches no --include"
	case f.minSize >= 0 && size < f.minSize:
		return false, fmt.Sprintf("smaller than --min-size %s (%s)", humanize.IBytes(uint64(f.minSize)), humanize.IBytes(uint64(size)))
	case f.maxSize >= 0 && size > f.maxSize:
		return false, fmt.Sprintf("larger than --max-size %s (%s)", humanize.IBytes(uint64(f.maxSize)), humanize.IBytes(uint64(size)))
	}
	return true, matched
}

// GlobRegexp turns a filter glob (see Filter) into the regular expression
// that matches the paths it names.
func GlobRegexp(glob string) (*regexp.Regexp, error) {
	if glob == "" || glob == "/" {
		return nil, fmt.Errorf("an empty pattern")
	}
	var re strings.Builder
	if g, ok := strings.CutPrefix(glob, "/"); ok {
		glob = g
		re.WriteString("^")
	} else {
		re.WriteString("(^|/)")
	}
	if strings.HasSuffix(glob, "/") {
		glob += "**"
	}
	if err := globBody(&re, glob); err != nil {
		return nil, err
	}
	re.WriteString("$")
	return regexp.Compile(re.String())
}

// globBody writes the regular expression for glob's characters.
func globBody(re *strings.Builder, glob string) error {
	inBraces := false
	rs := []rune(glob)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '*':
			n := 1
			for i+1 < len(rs) && rs[i+1] == '*' {
				n++
				i++
			}
			if n > 2 {
				return fmt.Errorf("more than two *s in a row")
			}
			re.WriteString(map[int]string{1: `[^/]*`, 2: `.*`}[n])
		case '?':
			re.WriteString(`[^/]`)
		case '\\':
			if i+1 == len(rs) {
				return fmt.Errorf(`a \ with nothing after it`)
			}
			i++
			re.WriteString(regexp.QuoteMeta(string(rs[i])))
		case '[':
			n, err := globClass(re, rs[i:])
			if err != nil {
				return err
			}
			i += n - 1
		case '{':
			if inBraces {
				return fmt.Errorf("{ inside { }")
			}
			inBraces = true
			re.WriteString("(?:")
		case '}':
			if !inBraces {
				return fmt.Errorf("} without {")
			}
			inBraces = false
			re.WriteString(")")
		case ',':
			if inBraces {
				re.WriteString("|")
			} else {
				re.WriteString(",")
			}
		default:
			re.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if inBraces {
		return fmt.Errorf("{ without }")
	}
	return nil
}

// globClass writes the class that rs starts with ("[…]") and returns how
// many runes it took.
func globClass(re *strings.Builder, rs []rune) (int, error) {
	re.WriteString("[")
	i := 1
	if i < len(rs) && (rs[i] == '!' || rs[i] == '^') {
		re.WriteString("^/")
		i++
	}
	for first := true; i < len(rs); i, first = i+1, false {
		c := rs[i]
		switch {
		case c == ']' && !first:
			re.WriteString("]")
			return i + 1, nil
		case c == '\\' && i+1 < len(rs):
			i++
			re.WriteString(regexp.QuoteMeta(string(rs[i])))
		case c == '-' && !first && i+1 < len(rs) && rs[i+1] != ']':
			re.WriteString("-")
		case c == '[' || c == ']' || c == '^' || c == '\\' || c == '-':
			re.WriteString(`\` + string(c))
		default:
			re.WriteRune(c)
		}
	}
	return 0, fmt.Errorf("[ without ]")
}
