package text

import (
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	tests := map[string]string{
		"plain.txt":                    "plain.txt",
		"\x1b[31mred\x1b[0m":           "␛[31mred␛[0m",
		"bell\a.txt":                   "bell␇.txt",
		"new\nline":                    "new␊line",
		"del\x7f":                      "del␡",
		"c1\u009b31m":                  "c1?31m",
		"bad\xffutf8":                  "bad\uFFFDutf8",
		"rtl\u202egnp.exe":             "rtl?gnp.exe",
		"ünïcödé 日本":                   "ünïcödé 日本",
		"\x1b]52;c;ZXZpbA==\x07":       "␛]52;c;ZXZpbA==␇",
		"\x1bP+q\x1b\\":                "␛P+q␛\\",
		"osc8\x1b]8;;http://x\x1b\\ln": "osc8␛]8;;http://x␛\\ln",
	}
	for in, want := range tests {
		got := Sanitize(in)
		if got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Errorf("Sanitize(%q) still has control %U: %q", in, r, got)
			}
		}
	}
}

func FuzzSanitize(f *testing.F) {
	f.Add("\x1b[2J")
	f.Add("a\xc2\x9bb")
	f.Fuzz(func(t *testing.T, s string) {
		got := Sanitize(s)
		for _, r := range got {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("control %U survived in %q", r, got)
			}
		}
	})
}

// A service's reply fits one line: control characters made visible, line
// breaks one space, at most 300 characters.
func TestReply(t *testing.T) {
	if got := Reply("a\x1b[31mb\nc\u009b"); got != "a␛[31mb c?" {
		t.Fatalf("%q", got)
	}
	if got := Reply(strings.Repeat("x", 1000)); got != strings.Repeat("x", 300)+"…" {
		t.Fatalf("len %d", len(got))
	}
}
