package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

// commandPaths is every command and subcommand a user can ask help for.
var commandPaths = [][]string{
	{}, {"completion"}, {"config"}, {"config", "path"}, {"config", "check"}, {"config", "init"}, {"config", "default"},
	{"doctor"}, {"get"}, {"import"}, {"key"}, {"key", "set"}, {"key", "delete"}, {"key", "status"},
	{"ls"}, {"man"}, {"resume"}, {"rm"}, {"serve"}, {"stat"}, {"store-url"}, {"sync"}, {"transform"}, {"upload"}, {"url"}, {"version"},
}

// TestGoldenHelp keeps `fsdeck … --help` and `fsdeck help …` of every
// command as a user reads them.
func TestGoldenHelp(t *testing.T) {
	s := newSandbox(t, "127.0.0.1:0")
	n := newNormaliser(s.root)
	for _, p := range commandPaths {
		for _, args := range [][]string{append(append([]string(nil), p...), "--help"), append([]string{"help"}, p...)} {
			out, errOut, code := s.run("", args...)
			golden(t, "help/"+fileName(args)+".txt", n.text(transcript(args, out, errOut, code)))
		}
	}
}

// usageCases are mistakes a user or a script makes: each gets its exit
// status and message.
var usageCases = [][]string{
	{"uplaod"},
	{"upload"},
	{"upload", "--nope", "a.txt"},
	{"upload", "--to", "nosuch", "a.txt"},
	{"upload", "--expiry", "1d", "a.txt"},
	{"upload", "--to", "imgbb", "--privacy", "unlisted", "pic.png"},
	{"upload", "--to", "imgbb", "a.txt"},
	{"upload", "--quiet", "--json", "a.txt"},
	{"upload", "missing.txt"},
	{"get"},
	{"get", "NOSUCHHANDLExxxxxxxx", "--to", "./dl"},
	{"url"},
	{"url", "a", "b"},
	{"url", "NOSUCHHANDLExxxxxxxx", "--as", "bogus"},
	{"transform", "NOSUCHHANDLExxxxxxxx"},
	{"transform", "NOSUCHHANDLExxxxxxxx", "blahblah"},
	{"transform", "NOSUCHHANDLExxxxxxxx", "resize=widht:3"},
	{"transform", "--to", "imgbb", "NOSUCHHANDLExxxxxxxx", "resize=width:3"},
	{"import", "--to", "imgbb", "NOSUCHHANDLExxxxxxxx"},
	{"ls", "--sort", "bogus"},
	{"ls", "extra"},
	{"rm", "NOSUCHHANDLExxxxxxxx"},
	{"stat"},
	{"store-url"},
	{"key"},
	{"key", "frobnicate"},
	{"key", "set", "--target", "nosuch"},
	{"config", "wat"},
	{"serve", "--nope"},
	{"serve", "--fault", "put:bogus=1"},
	{"--local", "/definitely/not/here"},
	{"completion"},
	{"completion", "tcsh"},
	{"man", "--dir"},
	{"version", "extra"},
}

// TestGoldenUsageErrors keeps what each mistake prints and its status.
func TestGoldenUsageErrors(t *testing.T) {
	s := newSandbox(t, "127.0.0.1:0")
	s.file("a.txt", []byte("hello\n"))
	s.file("pic.png", pngBytes(t, 4, 3))
	n := newNormaliser(s.root)
	for _, args := range usageCases {
		out, errOut, code := s.run("", args...)
		golden(t, "usage/"+fileName(args)+".txt", n.text(transcript(args, out, errOut, code)))
	}
}

// pngBytes is a w×h PNG with a fixed gradient.
func pngBytes(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(40 * x), uint8(60 * y), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGoldenScriptedSession keeps the output scripts read (JSON Lines,
// tables and quiet lists) of one local-mode session across the commands
// and targets, in order.
func TestGoldenScriptedSession(t *testing.T) {
	s := newSandbox(t, "127.0.0.1:0")
	s.file("a.txt", []byte("hello, fsdeck\n"))
	s.file("b.txt", []byte("second file\n"))
	s.file("pic.png", pngBytes(t, 16, 12))
	s.file("site/index.html", []byte("<p>hi</p>\n"))
	s.file("site/css/main.css", []byte("p{}\n"))
	n := newNormaliser(s.root)
	var all strings.Builder
	step := func(args ...string) string {
		t.Helper()
		out, errOut, code := s.run("", args...)
		registerIDs(n, out)
		all.WriteString(n.text(transcript(args, out, errOut, code)))
		all.WriteString("\n")
		return out
	}
	first := func(out string) string {
		for _, line := range strings.Split(out, "\n") {
			var r struct{ Handle string }
			if json.Unmarshal([]byte(line), &r) == nil && r.Handle != "" {
				return r.Handle
			}
		}
		t.Fatalf("no handle in %q", out)
		return ""
	}
	ha := first(step("upload", "a.txt", "--json"))
	hp := first(step("upload", "pic.png", "--json"))
	// One at a time: the order of results and of the ledger is the walk's.
	step("upload", "-r", "site", "--store-path", "site/", "--concurrency", "1", "--json")
	step("upload", "b.txt", "--quiet")
	step("upload", "a.txt", "--skip-existing", "--json")
	step("ls")
	step("ls", "--json", "--sort", "name")
	step("ls", "--quiet", "--sort", "size")
	step("ls", "--filter", "*.png", "--json")
	step("stat", ha, "--json")
	step("stat", ha)
	step("url", ha)
	step("url", ha, "--json")
	step("url", hp, "--transform", "resize=width:8", "--json")
	for _, as := range []string{"handle", "markdown", "html", "curl"} {
		step("url", hp, "--as", as)
	}
	step("transform", hp, "resize=width:8/rotate=deg:90")
	step("get", ha, "-o", "out/", "--json")
	step("get", ha, "-o", "out/")
	step("get", ha, "-o", "out/", "--force", "--quiet")
	step("import", ha, "--json")
	step("rm", hp, "--yes", "--json")
	step("rm", ha, "--forget-only", "--yes", "--json")
	step("stat", hp, "--json")
	step("ls", "--json", "--sort", "name")
	// The other targets, through their emulators.
	step("upload", "--to", "imgbb", "pic.png", "--json")
	step("ls", "--to", "imgbb", "--json")
	step("upload", "--to", "pastebin", "a.txt", "--expiry", "1d", "--privacy", "unlisted", "--json")
	step("ls", "--to", "pastebin", "--json")
	step("upload", "--to", "gyazo", "pic.png", "--json")
	step("ls", "--to", "gyazo", "--json")
	step("upload", "--to", "gofile", "b.txt", "--json")
	step("upload", "--to", "ddownload", "b.txt", "--json")
	step("ls", "--to", "ddownload")
	step("doctor")
	golden(t, "session/scripted.txt", all.String())
}

// registerIDs registers every handle, id and URL path segment a JSON line
// of out carries, so that they read the same in every later output.
func registerIDs(n *normaliser, out string) {
	for _, line := range strings.Split(out, "\n") {
		var r struct {
			Handle string `json:"handle"`
			URL    string `json:"url"`
		}
		if json.Unmarshal([]byte(line), &r) == nil {
			n.handle(r.Handle)
			// Random folder codes and ids inside URLs (GoFile's /d/CODE).
			for _, seg := range strings.Split(r.URL, "/") {
				if randomToken.MatchString(seg) && !routeWords[seg] {
					n.handle(seg)
				}
			}
		}
	}
	// --quiet prints handles alone, one per line.
	for _, line := range strings.Split(out, "\n") {
		if quietID.MatchString(line) {
			n.handle(line)
		}
	}
}
