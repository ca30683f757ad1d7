package studio

import (
	"cmp"
	"path"
	"strings"
	"unicode"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// maxResultName bounds a stored result's name, in runes.
const maxResultName = 120

// unnamedTasks say nothing about the result (where it goes, who may see
// it); formatTasks set its format (and so its extension).
var (
	unnamedTasks = map[string]bool{"store": true, "security": true, "cache": true}
	formatTasks  = map[string]bool{"output": true}
)

// ResultName is the name s stores the chain's result under: the source's
// name with the chain's tasks in brackets, "photo2 (resize 300).jpg", the
// extension the chain's output format implies (else the source's). It has
// no control characters, quotes or path separators, and at most
// maxResultName runes (the tasks are cut, with an ellipsis, not the
// extension).
func ResultName(source string, ch transform.Chain) string {
	base := cleanName(path.Base(strings.ReplaceAll(source, `\`, "/")))
	if strings.Trim(base, "./") == "" {
		base = ""
	}
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	if stem == "" {
		stem, ext = cmp.Or(base, "result"), ""
	}
	var steps []string
	for _, t := range ch.Tasks {
		if unnamedTasks[t.Name] {
			continue
		}
		if v, ok := t.Lookup("format"); ok && formatTasks[t.Name] && v.Text != "" {
			ext = "." + strings.ToLower(cleanName(v.Text))
		}
		words := []string{t.Name}
		for _, p := range t.Params {
			if p.HasValue {
				words = append(words, strings.Trim(p.Value.String(), `"`))
			} else {
				words = append(words, p.Key)
			}
		}
		steps = append(steps, cleanName(strings.Join(words, " ")))
	}
	if len(steps) == 0 {
		return bound(stem, ext, "")
	}
	return bound(stem, ext, strings.Join(steps, ", "))
}

// bound joins stem, the (steps) and ext in at most maxResultName runes,
// cutting the steps first, then the stem.
func bound(stem, ext, steps string) string {
	er := []rune(ext)
	if len(er) > 16 {
		er = er[:16]
	}
	room := maxResultName - len(er)
	sr := []rune(stem)
	if len(sr) > room/2 && steps != "" {
		sr = append(sr[:room/2-1], '…')
	} else if len(sr) > room {
		sr = append(sr[:room-1], '…')
	}
	out := string(sr)
	if steps != "" {
		left := room - len(sr) - 3 // " (" and ")"
		st := []rune(steps)
		if len(st) > left {
			st = append(st[:max(0, left-1)], '…')
		}
		out += " (" + string(st) + ")"
	}
	return out + string(er)
}

// cleanName drops control characters and quotes and turns path separators
// and brackets-breaking characters into safe ones.
func cleanName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsControl(r) || r == '"' || r == unicode.ReplacementChar || unicode.Is(unicode.Cf, r):
		case r == '/' || r == '\\' || r == ':' || r == '*' || r == '?' || r == '<' || r == '>' || r == '|':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}
