// Package text is fsdeck's one home for words and characters shown to
// people: the sanitizer every untrusted string (file names, server replies,
// error messages) goes through before a terminal sees it, the pluralizer,
// the wording of file-system and network errors, shell quoting, safe local
// file names and the link forms (Markdown, HTML, curl) of a URL, the
// labelled Link the ledger and the targets share, and the rebasing of a
// local-mode URL onto the local server's current address.
//
// It imports only the standard library: every other package may use it,
// and it must not import any package of fsdeck.
//
// It imports nothing of fsdeck, since every other package may import it.
package text
