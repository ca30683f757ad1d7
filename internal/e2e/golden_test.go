package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// updateGolden rewrites the golden files instead of comparing with them:
// FSDECK_UPDATE_GOLDEN=1 go test ./internal/e2e. (teatest owns -update in
// the packages that use it, so an environment variable it is, here too.)
var updateGolden = os.Getenv("FSDECK_UPDATE_GOLDEN") != ""

// normaliser replaces what differs between runs (temporary paths, ports,
// handles, times, speeds) with stable placeholders, so goldens compare
// what a user reads and nothing else.
type normaliser struct {
	root    string
	handles map[string]string
	order   []string
}

func newNormaliser(root string) *normaliser {
	return &normaliser{root: root, handles: map[string]string{}}
}

// handle registers id (a handle or a hosting target's id) so that every
// later appearance reads as <ID n>, numbered by first registration.
func (n *normaliser) handle(id string) {
	if id == "" || n.handles[id] != "" {
		return
	}
	n.order = append(n.order, id)
	n.handles[id] = fmt.Sprintf("<ID%d>", len(n.order))
}

var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	// Loopback ports: every run picks free ones.
	{regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\]):\d{2,5}`), "$1:PORT"},
	// Times and dates of today (uploads happen now).
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`), "<TIMESTAMP>"},
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?`), "<DATETIME>"},
	{regexp.MustCompile(`\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}(:\d{2})?`), "<MON DD HH:MM>"},
	{regexp.MustCompile(`\b\d{2}:\d{2}:\d{2}\b`), "<HH:MM:SS>"},
	// Rates, durations and elapsed times.
	{regexp.MustCompile(`\d+(\.\d+)? ?[KMGT]?i?B/s`), "<RATE>"},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s)\b`), "<DUR>"},
	// Filestack store paths: a random key prefix before the name.
	{regexp.MustCompile(`\b[A-Za-z0-9]{8}_`), "<KEY>_"},
	// The local server's generated key and secret fingerprints.
	{regexp.MustCompile(`key [0-9a-f]{8}\b`), "key <FP>"},
}

// text normalises out (CRLF-free text).
func (n *normaliser) text(out string) string {
	if n.root != "" {
		out = strings.ReplaceAll(out, n.root, "$ROOT")
	}
	// Longest ids first, so no id is replaced inside a longer one.
	ids := append([]string(nil), n.order...)
	sort.SliceStable(ids, func(i, j int) bool { return len(ids[i]) > len(ids[j]) })
	for _, id := range ids {
		out = strings.ReplaceAll(out, id, n.handles[id])
	}
	for _, v := range volatile {
		out = v.re.ReplaceAllString(out, v.with)
	}
	return out
}

// golden compares got with testdata/golden/<name>, or writes it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", filepath.FromSlash(name))
	if updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (FSDECK_UPDATE_GOLDEN=1 writes it)", path, err)
	}
	if !bytes.Equal(want, []byte(got)) {
		t.Errorf("%s differs from its golden copy (FSDECK_UPDATE_GOLDEN=1 rewrites it):\n%s", path, diffLines(string(want), got))
	}
}

// diffLines shows the lines that differ, with their numbers: enough to
// see what changed without a diff library.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl == gl {
			continue
		}
		fmt.Fprintf(&b, "line %d\n  want %q\n  got  %q\n", i+1, wl, gl)
		if shown++; shown == 20 {
			b.WriteString("  …\n")
			break
		}
	}
	return b.String()
}

// transcript is how one command's run is kept: the command line, its exit
// status, stdout and stderr.
func transcript(args []string, stdout, stderr string, code int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ fsdeck %s\nexit %d\n", strings.Join(args, " "), code)
	b.WriteString("--- stdout\n")
	b.WriteString(stdout)
	if stdout != "" && !strings.HasSuffix(stdout, "\n") {
		b.WriteString("\n[no final newline]\n")
	}
	b.WriteString("--- stderr\n")
	b.WriteString(stderr)
	if stderr != "" && !strings.HasSuffix(stderr, "\n") {
		b.WriteString("\n[no final newline]\n")
	}
	return b.String()
}

// fileName turns a command line into a golden file name.
func fileName(args []string) string {
	if len(args) == 0 {
		return "fsdeck"
	}
	r := strings.NewReplacer("/", "_", " ", "_", ":", "_", "=", "_", "*", "_", "'", "", "\"", "")
	return r.Replace(strings.Join(args, "_"))
}

// quietID is a line of --quiet output: one handle or id.
var quietID = regexp.MustCompile(`^[A-Za-z0-9_-]{6,40}$`)

// randomToken is a path segment that may be a generated id.
var randomToken = regexp.MustCompile(`^[A-Za-z0-9]{6,}$`)

// routeWords are the fixed words of the emulators' URL paths, never ids.
var routeWords = map[string]bool{"pastebin": true, "gofile": true, "ddownload": true, "imgbb": true, "gyazo": true,
	"download": true, "upload": true, "thumb": true, "medium": true}
