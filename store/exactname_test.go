package store

import "testing"

func TestExactName(t *testing.T) {
	for _, tc := range []struct{ exact, server, want string }{
		{"caf\xe9.txt", "caf\uFFFD.txt", "caf\xe9.txt"}, // the server's UTF-8 copy: the exact bytes
		{"a\xff\xfeb", "a\uFFFD\uFFFDb", "a\xff\xfeb"},  // one U+FFFD per byte
		{"a\xff\xfeb", "a\uFFFDb", "a\xff\xfeb"},        // or one per run
		{"caf\xe9.txt", "renamed.txt", "renamed.txt"},   // another name: the server's
		{"plain.txt", "plain.txt", "plain.txt"},         // UTF-8: the server's
		{"plain.txt", "Plain.txt", "Plain.txt"},         // UTF-8: the server's
		{"", "x", "x"}, {"caf\xe9", "", ""},
	} {
		if got := ExactName(tc.exact, tc.server); got != tc.want {
			t.Errorf("ExactName(%q, %q) = %q, want %q", tc.exact, tc.server, got, tc.want)
		}
	}
}
