package transfer_test

import (
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// Globs match as rclone's filters do (README, "Scripting").
func TestGlobRegexp(t *testing.T) {
	for _, tc := range []struct {
		glob     string
		match    []string
		mismatch []string
	}{
		{"*.jpg", []string{"a.jpg", "x/y/a.jpg", ".jpg"}, []string{"a.jpeg", "a.jpg/b", "a.JPG"}},
		{"/*.jpg", []string{"a.jpg"}, []string{"x/a.jpg"}},
		{"b/*.jpg", []string{"b/c.jpg", "x/b/c.jpg"}, []string{"xb/c.jpg", "b/d/c.jpg"}},
		{"/b/**", []string{"b/c", "b/d/e.txt"}, []string{"x/b/c", "bc"}},
		{"**/c.txt", []string{"a/c.txt", "a/b/c.txt"}, []string{"c.txt"}},
		{"cache/", []string{"cache/a", "x/cache/b/c"}, []string{"cache", "xcache/a"}},
		{"file?.txt", []string{"file1.txt"}, []string{"file.txt", "file12.txt", "file/.txt"}},
		{"[a-c]*.go", []string{"b.go", "x/cat.go"}, []string{"d.go"}},
		{"[!a-c]*.go", []string{"d.go"}, []string{"b.go", "/.go"}},
		{"*.{jpg,png}", []string{"a.jpg", "b/a.png"}, []string{"a.gif", "a.{jpg,png}"}},
		{`\*.txt`, []string{"*.txt"}, []string{"a.txt"}},
		{"a+b(1).txt", []string{"a+b(1).txt"}, []string{"aab1.txt"}},
	} {
		re, err := transfer.GlobRegexp(tc.glob)
		if err != nil {
			t.Fatalf("%q: %v", tc.glob, err)
		}
		for _, p := range tc.match {
			if !re.MatchString(p) {
				t.Errorf("%q does not match %q", tc.glob, p)
			}
		}
		for _, p := range tc.mismatch {
			if re.MatchString(p) {
				t.Errorf("%q matches %q", tc.glob, p)
			}
		}
	}
	for _, bad := range []string{"", "***", "[ab", "{a,b", "a}", "{a,{b}}", `a\`} {
		if _, err := transfer.GlobRegexp(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// Includes are tried before excludes, the first match decides, an include
// leaves out what matches none, and the size bounds are inclusive.
func TestFilterKeep(t *testing.T) {
	f, err := transfer.NewFilter([]string{"*.jpg"}, []string{"tmp/**", "*.txt"}, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rel  string
		size int64
		keep bool
		why  string
	}{
		{"a.jpg", 5, true, `matches --include "*.jpg"`},
		{"tmp/a.jpg", 5, true, `matches --include "*.jpg"`}, // the include comes first, as in rclone
		{"tmp/a.png", 5, false, `excluded by --exclude "tmp/**"`},
		{"b.png", 5, false, "matches no --include"},
		{"a.jpg", 1, false, "smaller than --min-size 2 B (1 B)"},
		{"a.jpg", 2, true, `matches --include "*.jpg"`},
		{"a.jpg", 10, true, `matches --include "*.jpg"`},
		{"a.jpg", 11, false, "larger than --max-size 10 B (11 B)"},
	} {
		keep, why := f.Keep(tc.rel, tc.size)
		if keep != tc.keep || why != tc.why {
			t.Errorf("Keep(%q, %d) = %v %q, want %v %q", tc.rel, tc.size, keep, why, tc.keep, tc.why)
		}
	}
	f, _ = transfer.NewFilter(nil, []string{"tmp/**"}, -1, -1)
	if keep, why := f.Keep("tmp/x", 0); keep || why != `excluded by --exclude "tmp/**"` {
		t.Errorf("exclude: %v %q", keep, why)
	}
	if keep, _ := f.Keep("x", 0); !keep {
		t.Errorf("exclude only: a file matching nothing is left out")
	}
	if _, err := transfer.NewFilter([]string{"[x"}, nil, -1, -1); err == nil || !strings.Contains(err.Error(), `--include "[x"`) {
		t.Errorf("bad glob: %v", err)
	}
}
