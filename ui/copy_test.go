package ui

import (
	"context"
	"errors"
	"io"
	"os/exec"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/clipboard"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// fakeMachine is a clipboard environment from tables: its variables, its
// installed programs and the answers of its tmux. It records every
// command that took the text, so no test runs a real tmux or tool.
type fakeMachine struct {
	vars      map[string]string
	installed []string
	tmux      map[string]string // nil: tmux not installed
	fail      map[string]bool   // fed commands that exit non-zero

	mu    sync.Mutex
	fed   []string
	texts []string
}

func (f *fakeMachine) env() clipboard.Env {
	return clipboard.Env{GOOS: "linux", Getenv: func(k string) string { return f.vars[k] },
		Output: f.output, Feed: f.feed, LookPath: f.lookPath}
}

// command drops tmux's "-S socket" so the tables stay short.
func command(name string, args []string) string {
	if name == "tmux" && len(args) >= 2 && args[0] == "-S" {
		args = args[2:]
	}
	return strings.Join(append([]string{name}, args...), " ")
}

func (f *fakeMachine) output(_ context.Context, name string, args ...string) (string, error) {
	if f.tmux == nil {
		return "", exec.ErrNotFound
	}
	out, ok := f.tmux[strings.TrimPrefix(command(name, args), "tmux ")]
	if !ok {
		return "", errors.New("exit status 1")
	}
	return out + "\n", nil
}

func (f *fakeMachine) feed(_ context.Context, text, name string, args ...string) error {
	cmd := command(name, args)
	if f.fail[cmd] || (name == "tmux" && f.tmux == nil) {
		return errors.New("exit status 1")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fed, f.texts = append(f.fed, cmd), append(f.texts, text)
	return nil
}

func (f *fakeMachine) lookPath(name string) (string, error) {
	for _, p := range f.installed {
		if p == name {
			return "/usr/bin/" + name, nil
		}
	}
	return "", exec.ErrNotFound
}

// defaultTmux is tmux 3.3a as installed: set-clipboard external,
// allow-passthrough off, attached from a terminal without the clipboard
// feature.
func defaultTmux() map[string]string {
	return map[string]string{"-V": "tmux 3.3a", "show -gv set-clipboard": "external",
		"show -Apv allow-passthrough": "off", "display -p #{client_termfeatures}": "bpaste,focus,title"}
}

// copyWith presses y on the first remote entry with the machine m as the
// clipboard environment and returns the model after the copy reported.
func copyWith(t *testing.T, mach *fakeMachine, edit func(*Deps)) (*Model, *testEnv) {
	t.Helper()
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 1)
	d := e.deps(fixtureTree(t))
	d.CopyEnv = mach.env()
	if edit != nil {
		edit(&d)
	}
	m := startModel(t, d)
	return press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("y")), e
}

// In tmux with its default settings the URL goes to tmux's buffer with
// load-buffer -w, no OSC 52 is written (tmux would drop it), and the
// status line says exactly that, in the success style.
func TestCopyInDefaultTmuxUsesItsBuffer(t *testing.T) {
	mach := &fakeMachine{vars: map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, tmux: defaultTmux()}
	m, e := copyWith(t, mach, nil)
	url := e.client.CDNURL(handleN(0))
	if len(mach.fed) != 1 || mach.fed[0] != "tmux load-buffer -w -" || mach.texts[0] != url {
		t.Fatalf("fed %q with %q", mach.fed, mach.texts)
	}
	if strings.Contains(e.clip.String(), "\x1b]52") {
		t.Fatalf("OSC 52 written although tmux drops it: %q", e.clip.String())
	}
	want := "copied to tmux buffer only (paste with prefix ]) (CDN URL of photo-a.jpg)"
	if statusKind(m) != uikit.StatusOK || statusText(m) != want {
		t.Fatalf("status %v %q, want %q", statusKind(m), statusText(m), want)
	}
}

// A plain terminal gets OSC 52 through the synchronised writer, and the
// status line says "sent", as a warning: nothing observed the clipboard.
func TestCopyInPlainTerminalSaysSent(t *testing.T) {
	m, e := copyWith(t, &fakeMachine{vars: map[string]string{"TERM": "xterm-256color"}}, nil)
	if !strings.Contains(e.clip.String(), "\x1b]52;c;"+b64(e.client.CDNURL(handleN(0)))+"\a") {
		t.Fatalf("terminal got %q", e.clip.String())
	}
	if statusKind(m) != uikit.StatusWarn || !strings.HasPrefix(statusText(m), "sent OSC 52 — your terminal must allow clipboard writes") ||
		strings.Contains(statusText(m), "copied") {
		t.Fatalf("status %v %q", statusKind(m), statusText(m))
	}
}

// A native tool that took the text is named and counts as copied; with
// the setting off it is not run.
func TestCopyNamesTheNativeTool(t *testing.T) {
	mach := &fakeMachine{vars: map[string]string{"DISPLAY": ":0"}, installed: []string{"xclip"}}
	m, _ := copyWith(t, mach, nil)
	if statusKind(m) != uikit.StatusOK || !strings.HasPrefix(statusText(m), "copied to system clipboard via xclip") {
		t.Fatalf("status %v %q", statusKind(m), statusText(m))
	}
	mach = &fakeMachine{vars: map[string]string{"DISPLAY": ":0"}, installed: []string{"xclip"}}
	m, _ = copyWith(t, mach, func(d *Deps) { d.Settings.NativeClipboard = false })
	if len(mach.fed) != 0 || statusKind(m) != uikit.StatusWarn {
		t.Fatalf("native tools off, yet fed %q; status %q", mach.fed, statusText(m))
	}
}

// When every route fails the status line is an error naming what failed,
// never "copied".
func TestCopyWithNothingWorkingIsAnError(t *testing.T) {
	mach := &fakeMachine{vars: map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, tmux: defaultTmux(),
		fail: map[string]bool{"tmux load-buffer -w -": true, "tmux load-buffer -": true}}
	m, _ := copyWith(t, mach, func(d *Deps) { d.Clipboard = failWriter{} })
	if statusKind(m) != uikit.StatusErr || !strings.HasPrefix(statusText(m), "could not copy: tmux load-buffer") {
		t.Fatalf("status %v %q", statusKind(m), statusText(m))
	}
}

// Copy-as escapes the name for each form as `fsdeck url --as` does:
// Markdown backslash-escapes what it would read as markup (`[`, `]`, `<`
// inline HTML, `*`/`_` emphasis, `&` entities), HTML escapes it, and
// the curl command quotes a name made safe for the local disk.
func TestCopyAsEscapesTheName(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: handleN(1), Filename: "br]ack[et <it's> *a*_b_&amp;.txt", Mimetype: "text/plain", Added: fixedNow})
	url := e.client.CDNURL(handleN(1))
	for k, want := range map[string]string{
		"m": `[br\]ack\[et \<it's\> \*a\*\_b\_\&amp;.txt](<` + url + `>)`,
		"a": `<a href="` + url + `">br]ack[et &lt;it&#39;s&gt; *a*_b_&amp;amp;.txt</a>`,
		"c": `curl -fL -o 'br]ack[et _it'\''s_ _a__b_&amp;.txt' '` + url + `'`,
	} {
		mach := &fakeMachine{vars: map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, tmux: defaultTmux()}
		d := e.deps(fixtureTree(t))
		d.CopyEnv = mach.env()
		m := startModel(t, d)
		press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("Y"), keyRunes(k))
		if len(mach.texts) != 1 || mach.texts[0] != want {
			t.Errorf("Y %s copied %q, want %q", k, mach.texts, want)
		}
	}
}

// failWriter refuses every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

var _ io.Writer = failWriter{}

// Copy-as offers the CDN URL as a QR code (r): a dialog whose lines are
// the half blocks `fsdeck url --qr` prints (internal/cli's test decodes
// those back to the URL).
func TestCopyAsOffersAQRCode(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: handleN(1), Filename: "a.txt", Mimetype: "text/plain", Added: fixedNow})
	url := e.client.CDNURL(handleN(1))
	m := startModel(t, e.deps(fixtureTree(t)))
	press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("Y"), keyRunes("r"))
	d, ok := m.overlay.(uikit.Text)
	want, _ := text.QR(url, false)
	if !ok || strings.Join(d.Lines(), "\n")+"\n" != want {
		t.Fatalf("Y r: overlay %T, want the QR code of %s:\n%s", m.overlay, url, want)
	}
}
