package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/iostreams"
)

// On a terminal, the progress block's last frame (drawn before the block
// is cleared at the end) counts the files that finished: files 1/1 done,
// not the 0/1 of a frame drawn while the file was on its way.
func TestCLIProgressLastFrameCountsDone(t *testing.T) {
	c := newCLI(t)
	c.file("f.txt", []byte("a small file"))
	var out, errb lockedBuffer
	ios := iostreams.New(strings.NewReader(""), &out, &errb)
	ios.SetStderrTTY(true)
	ios.SetTerminalWidth(120)
	f := &Factory{IOStreams: ios, Getenv: getenv(c.env()), WorkDir: c.dir}
	if code := Run(context.Background(), f, []string{"upload", "--json", "f.txt"}); code != 0 {
		t.Fatalf("exit %d: %q", code, errb.String())
	}
	frames := strings.Split(errb.String(), "\x1b[2KTransferred ")
	if len(frames) < 2 {
		t.Fatalf("no progress block drawn: %q", errb.String())
	}
	last := frames[len(frames)-1]
	last, _, _ = strings.Cut(last, "\n")
	if !strings.Contains(last, "files 1/1 done") || !strings.Contains(last, "100%") {
		t.Errorf("last frame %q, want files 1/1 done at 100%%", last)
	}
	// The block is still cleared at the end: after its last frame, the
	// cursor goes back up over it and erases it.
	if tail := errb.String()[strings.LastIndex(errb.String(), "Transferred "):]; !regexp.MustCompile(`\x1b\[\d+F\x1b\[J`).MatchString(tail) {
		t.Errorf("the block is not cleared after its last frame: %q", tail)
	}
}
