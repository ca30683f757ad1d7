package text

import (
	"html"
	"strings"
)

// The forms a file's URL is copied or printed in (the interface's copy-as
// menu and `fsdeck url --as`) come from these functions alone, so both
// escape a name the same way. The name comes from a server: its control
// characters are first made visible (an ESC would otherwise drive the
// terminal the text is pasted into), then it is escaped for the form.

// MarkdownLink is a Markdown link, or an image when image is set, to u
// named name. In the name, every character that CommonMark could read as
// markup is backslash-escaped (any ASCII punctuation may be): `]` would
// end the text early, `*`, `_`, `~` and backticks would format it, `<`
// would start inline HTML, `&` an entity. The URL is written between
// angle brackets so its parentheses cannot end it.
func MarkdownLink(name, u string, image bool) string {
	text := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, "`", "\\`", `*`, `\*`, `_`, `\_`,
		`~`, `\~`, `<`, `\<`, `>`, `\>`, `&`, `\&`, `|`, `\|`, "\n", " ").Replace(Sanitize(name))
	dest := strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "%0A").Replace(u)
	bang := ""
	if image {
		bang = "!"
	}
	return bang + "[" + text + "](<" + dest + ">)"
}

// HTMLLink is an HTML <a>, or an <img> when image is set, with the URL
// and the name escaped as attribute values and text.
func HTMLLink(name, u string, image bool) string {
	name, u = html.EscapeString(Sanitize(name)), html.EscapeString(u)
	if image {
		return `<img src="` + u + `" alt="` + name + `">`
	}
	return `<a href="` + u + `">` + name + `</a>`
}

// CurlCommand is a shell command that downloads u into the current
// directory under the file's name, made safe as a local name exactly as
// `fsdeck get` and the interface's downloads make it (SafeLocalName: no
// path separators, so it cannot write elsewhere; control characters become
// `_`, so nothing reaches a terminal; fallback when nothing is left) and
// single-quoted for the shell.
func CurlCommand(name, fallback, u string) string {
	return "curl -fL -o " + ShellQuote(SafeLocalName(name, fallback)) + " " + ShellQuote(u)
}

// ShellQuote single-quotes s for a POSIX shell.
func ShellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
