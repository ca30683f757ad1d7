package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/internal/iostreams"
)

// evilName would set the terminal's clipboard (OSC 52) and clear the
// screen (CSI 2J) if printed raw.
const evilName = "evil\x1b]52;c;aGk=\x07\x1b[2J.txt"

// TestCLIShowsNamesSanitised: a file whose name carries terminal escapes
// is listed and rendered by url --as markdown and html with its control
// characters made visible, by curl under the safe name get saves it as,
// while --json keeps the name verbatim.
func TestCLIShowsNamesSanitised(t *testing.T) {
	c := newCLI(t)
	c.file(evilName, []byte("content"))
	out, errOut, code := c.run("", "upload", "-q", evilName)
	h := strings.TrimSpace(out)
	if code != 0 || len(h) != 20 {
		t.Fatalf("upload: %d %q %q", code, out, errOut)
	}
	for _, as := range []string{"markdown", "html", "curl"} {
		out, errOut, code := c.run("", "url", h, "--as", as)
		visible := strings.Contains(out, "evil␛") && strings.Contains(out, "aGk=␇␛")
		if as == "curl" { // the name fsdeck get saves under
			visible = strings.Contains(out, "-o 'evil_]52;c;aGk=__[2J.txt'")
		}
		if code != 0 || strings.ContainsAny(out+errOut, "\x1b\x07") || !visible {
			t.Errorf("url --as %s: %d %q %q", as, code, out, errOut)
		}
	}
	out, _, code = c.run("", "ls")
	if code != 0 || strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, "evil␛]52") {
		t.Errorf("ls: %d %q", code, out)
	}
	out, _, code = c.run("", "url", h, "--json", "--as", "handle")
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 0 || len(rs) != 1 || rs[0].Filename != evilName {
		t.Errorf("url --json: %d %q", code, out)
	}
}

// TestRenderURLEscapesForTheForm: after sanitising, the name is escaped
// for Markdown and HTML and quoted for the shell.
func TestRenderURLEscapesForTheForm(t *testing.T) {
	name := "<b>it's\x1b[2J</b>"
	for as, want := range map[string]string{
		"markdown": "[\\<b\\>it's␛\\[2J\\</b\\>](<http://x/h>)",
		"html":     `<a href="http://x/h">&lt;b&gt;it&#39;s␛[2J&lt;/b&gt;</a>`,
		// The name is made the safe local name `fsdeck get` saves under:
		// "</b>" would write into a directory "<b>it's…<", and the ESC
		// becomes "_" as in get's file name.
		"curl": `curl -fL -o '_b_it'\''s_[2J__b_' 'http://x/h'`,
	} {
		got, err := renderURL(as, "h", "http://x/h", name, false)
		if err != nil || got != want {
			t.Errorf("--as %s: %q (%v), want %q", as, got, err, want)
		}
	}
}

// TestTableSanitisesServerFields: the handle and status a server answered
// with reach the human table with their control characters made visible.
func TestTableSanitisesServerFields(t *testing.T) {
	var out, errb bytes.Buffer
	p := newPrinter(outFlags{}, iostreams.New(nil, &out, &errb), nil)
	p.add(result{Handle: "H\x1b]52;c;aGk=\x07", Status: "ok\x1b[2J", Filename: evilName, Size: 1})
	if err := p.flush(); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); strings.ContainsAny(s, "\x1b\x07") || !strings.Contains(s, "H␛]52;c;aGk=␇") || !strings.Contains(s, "ok␛[2J") {
		t.Fatalf("table %q", s)
	}
}

// TestErrorMessageSanitised: the final error line neutralises escapes
// from a server reply or file name but keeps a message's own layout.
func TestErrorMessageSanitised(t *testing.T) {
	var errb bytes.Buffer
	exitCode(errors.New("upload "+evilName+": failed\n\tDid you mean this?"), &errb)
	want := "fsdeck: upload evil␛]52;c;aGk=␇␛[2J.txt: failed\n\tDid you mean this?\n"
	if errb.String() != want {
		t.Fatalf("got %q, want %q", errb.String(), want)
	}
}
