package ui

import (
	"context"
	"encoding/base64"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fixedNow is the clock of every UI test: views never read the real time.
var fixedNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// testEnv is a real client and emulator over HTTP with a temp ledger.
type testEnv struct {
	emu    *emulator.Server
	client *filestack.Client
	ledger *store.Ledger
	scope  store.Scope
	clip   *syncBuffer
}

func newTestEnv(t *testing.T, eo emulator.Options) *testEnv {
	t.Helper()
	eo.DataDir = t.TempDir()
	eo.APIKeys = []string{"UIKEYaaaaaaaaaaaaaaaaa"}
	eo.AppSecret = "UISECRETbbbbbbbbbbbbbbbbbb"
	emu, err := emulator.New(eo)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	c, err := filestack.New(filestack.Config{APIKey: eo.APIKeys[0], AppSecret: eo.AppSecret,
		APIBase: srv.URL + "/api", UploadBase: srv.URL, CDNBase: srv.URL, PartSize: filestack.MinPartSize,
		Retry: filestack.RetryPolicy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		srv.Close()
		emu.Close()
		l.Close()
	})
	return &testEnv{emu: emu, client: c, ledger: l, scope: store.Scope{Endpoint: "test", KeyFP: "fp"}, clip: &syncBuffer{}}
}

func (e *testEnv) deps(dir string) Deps {
	return Deps{Remote: e.client, Ledger: e.ledger, Scope: e.scope, Mode: uikit.ModeLocal, Endpoint: "http://127.0.0.1:7337",
		StartDir: dir, Clipboard: e.clip, Getenv: func(string) string { return "" }, Now: func() time.Time { return fixedNow },
		Settings: DefaultSettings()}
}

// fixtureTree is the committed directory the golden screens show, with
// fixed modification times.
func fixtureTree(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("testdata", "tree")
	mt := fixedNow.Add(-3 * time.Hour)
	filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err == nil {
			os.Chtimes(p, mt, mt)
		}
		return nil
	})
	return dir
}

func addEntries(t *testing.T, e *testEnv, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		err := e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: handleN(i), Filename: "photo-" + string(rune('a'+i%26)) + ".jpg",
			Size: int64(1000 * (i + 1)), Mimetype: "image/jpeg", Uploaded: fixedNow.Add(-time.Duration(i) * time.Hour),
			Added: fixedNow.Add(-time.Duration(i) * time.Hour), Source: store.SourceUpload})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func handleN(i int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	return "HANDLE" + string(a[i%26]) + string(a[(i/26)%26]) + "xxxxxxxxxxxx"
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func emulatorOpts() emulator.Options { return emulator.Options{} }

// newSync is New for tests that run commands one by one with drain: its
// progress listener returns at once instead of blocking.
func newSync(d Deps) *Model { return newSyncWith(d, options{}) }

// newSyncWith is newSync with o's seams (the status line's fade never
// fires).
func newSyncWith(d Deps, o options) *Model {
	o.statusTick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	o.listen = pollProgress
	o.noLedgerWatch = true
	o.noDirWatch = true
	m := newModel(d, o)
	return m
}

// pollProgress is a progress listener that never blocks: a tick when a
// transfer has poked, else nothing.
func pollProgress(wake <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-wake:
			return transfers.TickMsg{}
		default:
			return nil
		}
	}
}

// drain runs a command tree synchronously and feeds the messages back into
// the model. The model must come from newSync, so no command blocks; one
// that runs for 20 s is a hang and fails the test.
func drain(t *testing.T, m *Model, cmd tea.Cmd) *Model {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 200; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := runCmd(t, c)
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			// tea.Sequence's message is an unexported []tea.Cmd: each
			// runs to its end before the next, as the program runs them.
			if seq, ok := sequence(msg); ok {
				for _, c := range seq {
					m = drain(t, m, c)
				}
				continue
			}
			mm, next := m.Update(msg)
			m = mm.(*Model)
			queue = append(queue, next)
		}
	}
	return m
}

// sequence is the commands of tea.Sequence's message (false for any
// other message).
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeOf(tea.Cmd(nil)) {
		return nil, false
	}
	out := make([]tea.Cmd, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return out, true
}

// runCmd runs a command, failing the test if it does not return in 20 s.
func runCmd(t *testing.T, c tea.Cmd) tea.Msg {
	t.Helper()
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(20 * time.Second):
		t.Fatalf("a command ran for 20 s")
		return nil
	}
}

type (
	transformChain = transform.Chain
	ioWriter       = io.Writer
)

// transferKey presses k in the transfers panel with the cursor on the row
// of job id (each job its own row: no group of more than three).
func transferKey(m *Model, id transfer.JobID, k string) (tea.Model, tea.Cmd) {
	var mm tea.Model = m
	if m.focus != focusTransfers {
		mm, _ = mm.Update(keyRunes("w"))
	}
	mm, _ = mm.Update(keyRunes("g"))
	for _, j := range m.engine.Snapshot().Jobs {
		if j.ID == id {
			break
		}
		mm, _ = mm.Update(keyRunes("j"))
	}
	return mm.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
}

// fakeEngine is the engine a test gives the model: a real one, whose
// snapshots are canned ones while canned is set.
type fakeEngine struct {
	*transfer.Engine
	canned *transfer.Snapshot
}

func (f *fakeEngine) Snapshot() transfer.Snapshot {
	if f.canned != nil {
		return *f.canned
	}
	return f.Engine.Snapshot()
}

// withEngine gives d an engine made with o (over d's Filestack connection
// and ledger, on d's clock), as the program makes one.
func withEngine(d *Deps, o transfer.Options) *fakeEngine {
	o.Target = transfers.EngineTarget(d.Ledger, uikit.ConnTarget(uikit.TargetConn{Name: fstarget.Name, Title: "Filestack"},
		uikit.Connection{Remote: d.Remote, Scope: d.Scope, Endpoint: d.Endpoint}, d.Mode, uikit.RootOptions(d.Settings)))
	if o.Now == nil {
		o.Now = d.Now
	}
	f := &fakeEngine{Engine: transfer.New(context.Background(), o)}
	d.Engine = f
	return f
}

// statusText is the message on the status line ("" when none).
func statusText(m *Model) string {
	_, text := m.status.Shown()
	return text
}

// statusKind is the kind of the message on the status line.
func statusKind(m *Model) uikit.StatusKind {
	kind, _ := m.status.Shown()
	return kind
}

// firstJob is the first job of the engine's snapshot (the first row of
// the panel, when no group holds more than three jobs).
func firstJob(m *Model) transfer.JobSnapshot {
	if jobs := m.engine.Snapshot().Jobs; len(jobs) > 0 {
		return jobs[0]
	}
	return transfer.JobSnapshot{}
}

// panelRows are the first lines of the rows the transfers panel draws (a
// job's or a group's), as drawn: a group's arrow has ▸ or ▾ before it, a
// job shown under its group two spaces.
func panelRows(m *Model) []string {
	var rows []string
	for _, l := range strings.Split(ansi.Strip(m.transfers.View()), "\n") {
		if strings.ContainsAny(l, "⇡⇣⧉➔") {
			rows = append(rows, l)
		}
	}
	return rows
}

// remoteCursor is the row of the remote pane's cursor among those drawn.
func remoteCursor(m *Model) int {
	lines := strings.Split(ansi.Strip(m.remote.View()), "\n")
	for i := 3; i < len(lines); i++ {
		if strings.Contains(lines[i], "›") {
			return i - 3
		}
	}
	return -1
}

// remoteMarks is how many entries the remote pane's footer says are
// marked.
func remoteMarks(m *Model) int {
	if g := regexp.MustCompile(`(\d+) marked`).FindStringSubmatch(ansi.Strip(m.remote.View())); g != nil {
		n, _ := strconv.Atoi(g[1])
		return n
	}
	return 0
}

// localMarks is how many entries the local pane's footer says are marked.
func localMarks(m *Model) int {
	if g := regexp.MustCompile(`(\d+) marked`).FindStringSubmatch(localFooter(m)); g != nil {
		n, _ := strconv.Atoi(g[1])
		return n
	}
	return 0
}

// localCursor is the row of the local pane's cursor among those drawn.
func localCursor(m *Model) int {
	lines := strings.Split(ansi.Strip(m.local.View()), "\n")
	for i := 3; i < len(lines); i++ {
		if strings.Contains(lines[i], "›") {
			return i - 3
		}
	}
	return -1
}

// lastLine is the screen's bottom line (the key hints).
func lastLine(v string) string {
	lines := strings.Split(v, "\n")
	return lines[len(lines)-1]
}

func writeFile(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o600); err != nil {
		t.Fatal(err)
	}
}

func startModel(t *testing.T, d Deps) *Model {
	t.Helper()
	m := newSync(d)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return drain(t, mm.(*Model), m.Init())
}
