// Package contentsec decides the headers a stored file is served with, so
// that what someone uploaded is shown as data and never runs as a page of
// the server's origin. The Filestack emulator and the hosting emulators
// serve stored files through it.
//
// It imports nothing of fsdeck.
package contentsec

import (
	"net/http"
	"strings"
)

// Header names and the values Headers sets.
const (
	NoSniff = "nosniff"
	Sandbox = "sandbox"
)

// Headers sets the headers of a response that carries a stored file of
// the given type: X-Content-Type-Options: nosniff on every one, so a
// browser takes the declared type and never guesses a more dangerous one
// from the bytes; and for active types (see Active) Content-Security-
// Policy: sandbox, so the file still opens inline but in a unique,
// opaque origin with scripts, forms, plugins and pop-ups disabled: it
// cannot read the server origin's cookies or storage, nor call its API.
func Headers(h http.Header, mimetype string) {
	h.Set("X-Content-Type-Options", NoSniff)
	if Active(mimetype) {
		h.Set("Content-Security-Policy", Sandbox)
	}
}

// Active reports whether a browser may run a file of this type as a
// document or script: HTML, XHTML, SVG, any XML (which XSLT or an XHTML
// namespace can turn into a page), JavaScript, multipart (whose parts a
// browser may render), and a type it cannot read as type/subtype (empty,
// several, malformed), which a browser may read differently than this
// function does.
func Active(mimetype string) bool {
	t := strings.ToLower(strings.TrimSpace(mimetype))
	// A comma makes a list of types, of which browsers take the last
	// valid one: whatever comes before, treat it as unreadable.
	if strings.Contains(t, ",") {
		return true
	}
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	typ, sub, ok := strings.Cut(t, "/")
	if !ok || !token(typ) || !token(sub) || typ == "multipart" {
		return true
	}
	for _, word := range []string{"html", "xml", "svg", "xsl", "javascript", "ecmascript", "jscript", "livescript"} {
		if strings.Contains(sub, word) {
			return true
		}
	}
	return false
}

// token reports whether s is a non-empty HTTP token (RFC 9110), the only
// form a type or subtype may take; anything else a browser may parse its
// own way.
func token(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}
