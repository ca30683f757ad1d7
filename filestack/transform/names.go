package transform

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"
)

// apiKeyMinLen is where a lower-case word stops reading like a task name:
// the longest task name has 16 characters and Filestack API keys have 22.
const apiKeyMinLen = 20

// PlausibleAPIKey reports whether a path segment that is not a known task
// could be an API key. Task names are short lower-case words, while
// Filestack keys are 22 mixed-case letters and digits, so a segment such
// as `monochrom` is a mistyped task, not a wrong key.
func PlausibleAPIKey(s string) bool {
	if !isIdent(s) {
		return false
	}
	if len(s) >= apiKeyMinLen {
		return true
	}
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' })
}

// maxSuggestLen bounds the names worth a suggestion: the edit distance
// costs the product of both lengths, and a name this far from every task
// has no useful nearest one.
const maxSuggestLen = 40

// NearestTask is the catalogue's task name (or alias) closest to name by
// edit distance, the suggestion for a mistyped task; ties go to the task
// listed first. It is "" for names too long to be a typo of a task.
func NearestTask(name string) string {
	if len(name) > maxSuggestLen {
		return ""
	}
	best, bestDist := "", -1
	for i := range catalog {
		spec := &catalog[i]
		for _, n := range append([]string{spec.Name}, spec.Aliases...) {
			if d := levenshtein.ComputeDistance(strings.ToLower(name), n); bestDist < 0 || d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	return best
}

// UnknownTask words the error for a task name the catalogue lacks, with
// the nearest task as a suggestion.
func UnknownTask(verb, name string) string {
	msg := fmt.Sprintf("%s task `%s`", verb, name)
	if n := NearestTask(name); n != "" {
		msg += fmt.Sprintf("; did you mean `%s`?", n)
	}
	return msg
}

// nearestParam is the task's parameter name (or alias) closest to key by
// edit distance when it is close enough to be a typo (`widht`, `heigth`),
// else "": a key far from every parameter gets no suggestion.
func (s *TaskSpec) nearestParam(key string) string {
	if len(key) > maxSuggestLen {
		return ""
	}
	best, bestDist := "", -1
	for _, ps := range s.Params {
		for _, n := range append([]string{ps.Name}, ps.Aliases...) {
			if d := levenshtein.ComputeDistance(strings.ToLower(key), n); bestDist < 0 || d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	if bestDist < 0 || bestDist > max(2, len(key)/3) {
		return ""
	}
	return best
}
