package text

import "strconv"

// CountOf words a count with its noun: "1 file", "3 files" (regular
// plurals only; Plural for the others).
func CountOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// Plural is one when n is 1, else many: Plural(n, "retry", "retries").
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
