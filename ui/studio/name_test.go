package studio

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// ResultName follows the chain: its tasks in brackets, the extension the
// output format implies, no control characters or separators, bounded.
func TestResultName(t *testing.T) {
	resize := transform.NewTask("resize", "width", 300)
	webp := transform.NewTask("output", "format", "webp")
	for _, c := range []struct {
		src   string
		tasks []transform.Task
		want  string
	}{
		{"photo2.jpg", []transform.Task{resize}, "photo2 (resize 300).jpg"},
		{"photo2.jpg", []transform.Task{resize, webp}, "photo2 (resize 300, output webp).webp"},
		{"a\x1b]52;c;x\x07/../b.png", []transform.Task{resize}, "b (resize 300).png"},
		{"evil\x1b[31m.png", []transform.Task{resize}, "evil[31m (resize 300).png"},
		{"", []transform.Task{resize}, "result (resize 300)"},
	} {
		if got := ResultName(c.src, transform.Chain{Tasks: c.tasks}); got != c.want {
			t.Errorf("ResultName(%q) = %q, want %q", c.src, got, c.want)
		}
	}
	long := strings.Repeat("long name ", 40) + ".jpg"
	tasks := []transform.Task{resize, transform.NewTask("blur", "amount", 5), webp}
	for range 10 {
		tasks = append(tasks, transform.NewTask("rotate", "deg", 90))
	}
	got := ResultName(long, transform.Chain{Tasks: tasks})
	if n := utf8.RuneCountInString(got); n > maxResultName || !strings.HasSuffix(got, "….webp") && !strings.HasSuffix(got, "…).webp") || !strings.HasPrefix(got, "long name") {
		t.Fatalf("long name (%d runes): %q", n, got)
	}
}
