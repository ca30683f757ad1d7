package text

import "strings"

// Link is one labelled URL of an upload ("viewer", "thumb", "delete", …),
// in the order front ends offer them for copy-as. It lives here, in the
// package every other one may import, so that the ledger (store) and the
// targets (internal/hosts, whose hosts.Link is this type) share it without
// importing each other.
type Link struct {
	Label string
	URL   string
}

// RebaseURL points raw at server when raw's path starts with prefix (a
// mount such as "/imgbb/"), keeping the path, query and fragment byte for
// byte. Any other URL — another scheme, a path elsewhere, credentials or
// no path — and a server that is not a plain http(s) origin leave raw as
// it is. Local mode's server may listen on another port in every run, so
// the URLs its emulators handed out are rebuilt for the current one.
func RebaseURL(raw, prefix, server string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || (scheme != "http" && scheme != "https") || prefix == "" {
		return raw
	}
	slash := strings.IndexByte(rest, '/')
	if slash <= 0 || strings.ContainsAny(rest[:slash], "?#@") {
		return raw
	}
	path := rest[slash:]
	if !strings.HasPrefix(path, prefix) {
		return raw
	}
	s, srest, ok := strings.Cut(strings.TrimRight(server, "/"), "://")
	if !ok || (s != "http" && s != "https") || srest == "" || strings.ContainsAny(srest, "/?#@") {
		return raw
	}
	return s + "://" + srest + path
}
