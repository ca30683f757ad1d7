package store

import (
	"strings"
	"unicode/utf8"
)

// ExactName is the name the ledger keeps for a file the server calls
// server: exact, the file's own name (its bytes as on disk), when it is
// not valid UTF-8 and server is its UTF-8 copy (each bad byte, or run of
// them, made U+FFFD, as JSON and the services do), so a script gets the
// exact bytes back (--json's filename_bytes); server otherwise.
func ExactName(exact, server string) string {
	if exact == "" || utf8.ValidString(exact) || server == "" {
		return server
	}
	if lossy(exact) == lossy(server) {
		return exact
	}
	return server
}

// lossy is s with every run of bytes that are not UTF-8, and of U+FFFD,
// made one U+FFFD.
func lossy(s string) string {
	var b strings.Builder
	bad := false
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		if r == utf8.RuneError {
			if !bad {
				b.WriteRune(utf8.RuneError)
			}
			bad = true
			continue
		}
		bad = false
		b.WriteRune(r)
	}
	return b.String()
}
