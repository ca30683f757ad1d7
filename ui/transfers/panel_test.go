package transfers

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// TestMain draws without colours, so views compare as text.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fixedNow is the clock of these tests.
var fixedNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// fakeEngine is a real engine (with no target: it runs nothing) whose
// snapshots are the test's.
type fakeEngine struct {
	*transfer.Engine
	snap transfer.Snapshot
}

func (f *fakeEngine) Snapshot() transfer.Snapshot { return f.snap }

// newTestPanel is a panel over a fake engine, its clock fixedNow, its
// terminal term.
func newTestPanel(term ...*strings.Builder) (*Panel, *fakeEngine) {
	return newTestPanelAt(func() time.Time { return fixedNow }, term...)
}

func newTestPanelAt(now func() time.Time, term ...*strings.Builder) (*Panel, *fakeEngine) {
	o := uikit.EnvOptions{Now: now}
	if len(term) > 0 {
		o.Term = term[0]
	}
	eng := &fakeEngine{Engine: transfer.New(context.Background(), transfer.Options{})}
	p := New(uikit.NewEnv(o), uikit.NewTargets(nil, "", uikit.ConnTarget(uikit.TargetConn{Name: fstarget.Name, Title: "Filestack"}, uikit.Connection{}, uikit.ModeCloud, fstarget.Options{}), uikit.ModeCloud), eng,
		Options{Listen: func(<-chan struct{}) tea.Cmd { return nil }})
	return p, eng
}

// show has the engine report snap and the panel take it, as when the
// engine wakes it; it returns what the panel answered.
func show(p *Panel, eng *fakeEngine, snap transfer.Snapshot) tea.Cmd {
	eng.snap = snap
	return p.Update(TickMsg{})
}

// where is which rows a view of followSnapshot shows (by position: the
// NN of doneNN.txt or newNN.txt) and the one under the cursor.
func where(view string) string {
	var rows []string
	cursor := ""
	for _, l := range strings.Split(view, "\n") {
		if m := regexp.MustCompile(`(?:done|new)(\d+)\.txt`).FindStringSubmatch(l); m != nil {
			rows = append(rows, m[1])
			if strings.Contains(l, "›") {
				cursor = m[1]
			}
		}
	}
	return fmt.Sprintf("rows %v, cursor on %s", rows, cursor)
}

// goldenSnapshot is the engine's snapshot of a panel in every state.
func goldenSnapshot() transfer.Snapshot {
	const mib = 1 << 20
	p := []transfer.PartState{transfer.PartDone, transfer.PartDone, transfer.PartDone, transfer.PartRetrying,
		transfer.PartSending, transfer.PartSending, transfer.PartPending, transfer.PartPending}
	jobs := []transfer.JobSnapshot{
		{Name: "videos/holiday.mp4", State: transfer.Running, Size: 64 * mib, Acked: 27 * mib, InFlight: 16 * mib, Parts: p,
			Retries: 1, LastRetry: "send part 4: 503 Service Unavailable", Retrying: true, Attempt: 2,
			Speed: 4 * mib, ETA: 9 * time.Second, Started: fixedNow},
		{Name: "notes.txt", State: transfer.Done, Size: 13, Acked: 13, Handle: "NOTESHANDLE123", Parts: []transfer.PartState{transfer.PartDone}},
		{Name: "photo.jpg", Dir: transfer.Download, State: transfer.Failed, Size: 2 * mib, Acked: mib / 2,
			Err: "download: gave up after 8 attempts over 31s: cannot connect: connection refused"},
		{Name: "big.iso", State: transfer.Paused, Size: 700 * mib, Acked: 100 * mib, Parts: make([]transfer.PartState, 88)},
		{Name: "moved.bin", State: transfer.Done, Size: 5 * mib, Acked: 5 * mib, Restarted: "the upload session belonged to another server",
			Parts: []transfer.PartState{transfer.PartDone}},
		{Name: "queued.bin", State: transfer.Queued, Size: 5 * mib},
	}
	for i := range jobs {
		jobs[i].ID = transfer.JobID(i + 1)
	}
	return transfer.Snapshot{Seq: 1, Jobs: jobs, Total: transfer.Totals{Files: 6, Done: 2, Failed: 1, Running: 1, Queued: 1, Paused: 1,
		Bytes: 64*mib + 13 + 2*mib + 700*mib + 10*mib, Acked: 27*mib + 13 + mib/2 + 105*mib, InFlight: 16 * mib,
		Speed: 4 * mib, ETA: 2 * time.Minute}}
}

// A transfers panel in every state, drawn from the engine's snapshot:
// acknowledged bytes as done, in-flight bytes lighter, a failed row with
// what was accepted and why, the header with the engine's totals.
func TestGoldenTransfers(t *testing.T) {
	tr, eng := newTestPanel()
	show(tr, eng, goldenSnapshot())
	tr.SetSize(100, 15)
	tr.Focus()
	v := tr.View()
	lines := strings.Split(v, "\n")
	for _, want := range []string{"retrying, attempt 2 ■■■!▶▶··", "1 retry, last: send part 4: 503", "— ETA —",
		"failed, 512 KiB of 2 MiB received: download: gave up after 8 attempts over 31s", "paused: p resumes", "queued",
		"restarted: the upload session belonged to another server",
		"17% 2/6 files · 133 MiB/776 MiB · 1 failed · 4 MiB/s ETA 2m00s"} {
		if !strings.Contains(v, want) {
			t.Errorf("transfers view lacks %q:\n%s", want, v)
		}
	}
	if !regexp.MustCompile(`█+[▏▎▍▌▋▊▉]?▒{3,}░`).MatchString(lines[2]) {
		t.Errorf("in-flight bytes not drawn lighter after the acknowledged ones: %q", lines[2])
	}
	if failed := lines[6]; !strings.Contains(failed, "░") || !strings.Contains(failed, "512 KiB/2 MiB") || strings.Contains(failed, "100%") {
		t.Errorf("a failed row must show what was accepted, not a full bar: %q", failed)
	}
	golden.RequireEqual(t, []byte(v))
}

// Bytes in flight are never drawn as done, and a job whose bytes were
// all sent but none acknowledged is at 0%.
func TestInFlightIsNotDone(t *testing.T) {
	tr, eng := newTestPanel()
	show(tr, eng, transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a", State: transfer.Running, Size: 100, InFlight: 100,
		Started: fixedNow}}, Total: transfer.Totals{Files: 1, Running: 1, Bytes: 100, InFlight: 100}})
	tr.SetSize(80, 6)
	v := tr.View()
	if strings.Contains(v, "█") || !strings.Contains(v, "▒") || !strings.Contains(v, "0% 0/1 files") {
		t.Fatalf("in-flight bytes drawn as done:\n%s", v)
	}
}

// Transfers of empty files progress by files: the header counts them
// and its bar follows them.
func TestHeaderCountsFiles(t *testing.T) {
	tr, eng := newTestPanel()
	show(tr, eng, transfer.Snapshot{Total: transfer.Totals{Files: 20000, Done: 5000, Failed: 3, Queued: 14997}})
	tr.SetSize(100, 6)
	v := tr.View()
	if !strings.Contains(v, "25% 5000/20000 files · 0 B/0 B · 3 failed") || !strings.Contains(v, "█") {
		t.Fatalf("empty files shown without progress:\n%s", v)
	}
}

// A cancelled file leaves the bytes to send; the header says it was
// cancelled, so 100% beside 1/2 files is explained.
func TestHeaderNamesCancelled(t *testing.T) {
	tr, eng := newTestPanel()
	show(tr, eng, transfer.Snapshot{Total: transfer.Totals{Files: 2, Done: 1, Cancelled: 1, Bytes: 600 << 20, Acked: 600 << 20}})
	tr.SetSize(100, 6)
	if v := tr.View(); !strings.Contains(v, "100% 1/2 files · 600 MiB/600 MiB · 1 cancelled") {
		t.Fatalf("header:\n%s", v)
	}
}

// A row shows what the engine's snapshot says: state, bytes, parts,
// retries, speed and ETA.
func TestRowOfSnapshot(t *testing.T) {
	j := transfer.JobSnapshot{ID: 7, Dir: transfer.Download, State: transfer.Paused, Name: "a.bin", Size: 100, Acked: 40,
		Parts:   []transfer.PartState{transfer.PartDone, transfer.PartSending, transfer.PartRetrying, transfer.PartPending},
		Retries: 2, LastRetry: "503", Speed: 10, ETA: 6 * time.Second, Started: fixedNow}
	r := rowOf(j)
	want := []chunkState{chunkDone, chunkSending, chunkRetried, chunkPending}
	if r.id != 7 || r.dir != dirDown || r.state != tPaused || r.snap.sent != 40 || r.total() != 100 || r.snap.retries != 2 ||
		r.speed() != 10 || r.eta() != 6*time.Second || !r.snap.started || fmt.Sprint(r.snap.parts) != fmt.Sprint(want) {
		t.Fatalf("%+v", r)
	}
	for s := transfer.Queued; s <= transfer.Cancelled; s++ {
		name := tstateNames[rowOf(transfer.JobSnapshot{State: s}).state]
		if name != s.String() && !(s == transfer.Running && name == "sending") {
			t.Fatalf("state %v shows as %s", s, name)
		}
	}
}

// A resumed upload draws the parts already on the server as done from
// its first frame, and its bar counts them.
func TestResumedPartsDrawnDone(t *testing.T) {
	tr, eng := newTestPanel()
	const part = 8 << 20
	show(tr, eng, transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "r.bin", State: transfer.Running, Size: 4 * part,
		Acked: 2 * part, Resumed: 2 * part, PartSize: part, Started: fixedNow,
		Parts: []transfer.PartState{transfer.PartDone, transfer.PartDone, transfer.PartPending, transfer.PartPending}}},
		Total: transfer.Totals{Files: 1, Running: 1, Bytes: 4 * part, Acked: 2 * part}})
	tr.SetSize(100, 6)
	v := tr.View()
	if !strings.Contains(v, "■■··") || !strings.Contains(v, "50%     16 MiB/32 MiB") {
		t.Fatalf("resumed parts not drawn done:\n%s", v)
	}
}

// A failed row draws what the server accepted, and why it failed, in the
// failure colour; a running row's bar is not.
func TestFailedRowInFailureColour(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	tr, eng := newTestPanel()
	show(tr, eng, transfer.Snapshot{Jobs: []transfer.JobSnapshot{
		{ID: 1, Name: "f.bin", State: transfer.Failed, Size: 100, Acked: 50, Err: "send part 2: gave up after 8 attempts"},
		{ID: 2, Name: "r.bin", State: transfer.Running, Size: 100, Acked: 50, Started: fixedNow}},
		Total: transfer.Totals{Files: 2, Failed: 1, Running: 1, Bytes: 200, Acked: 100}})
	tr.SetSize(100, 8)
	lines := strings.Split(tr.View(), "\n")
	red := strings.TrimSuffix(uikit.NewStyles(uikit.DefaultTheme()).Error.Render("x"), "x\x1b[0m")
	red = strings.TrimSuffix(red, "x")
	if red == "" || !strings.Contains(lines[2], red+"█") || !strings.Contains(lines[3], red+"failed, 50 B of 100 B accepted: send part 2: gave up") {
		t.Fatalf("failed row not in the failure colour %q:\n%q\n%q", red, lines[2], lines[3])
	}
	if !strings.Contains(lines[4], "r.bin") || strings.Contains(lines[4], red+"█") {
		t.Fatalf("a running row's bar in the failure colour: %q", lines[4])
	}
}

// followSnapshot is n finished uploads followed by one running one.
func followSnapshot(n int) transfer.Snapshot {
	var jobs []transfer.JobSnapshot
	for i := 1; i <= n; i++ {
		jobs = append(jobs, transfer.JobSnapshot{ID: transfer.JobID(i), Name: fmt.Sprintf("done%02d.txt", i), State: transfer.Done, Size: 1, Acked: 1})
	}
	jobs = append(jobs, transfer.JobSnapshot{ID: transfer.JobID(n + 1), Name: fmt.Sprintf("new%02d.txt", n+1), State: transfer.Running,
		Size: 10, Started: fixedNow})
	return transfer.Snapshot{Jobs: jobs, Total: transfer.Totals{Files: n + 1, Done: n, Running: 1, Bytes: int64(n + 10), Acked: int64(n)}}
}

// New and running rows stay in view while the user has not scrolled
// the panel; once they move the cursor up, new rows leave it where it
// is, until they go back to the bottom.
func TestTransfersFollowNewRows(t *testing.T) {
	tr, eng := newTestPanel()
	tr.SetSize(100, 15) // six rows
	tr.Focus()
	show(tr, eng, followSnapshot(8))
	if v := tr.View(); !strings.Contains(v, "new09.txt") {
		t.Fatalf("the running upload (row 9) is not in view:\n%s", v)
	}
	for range 4 {
		tr.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("k")})
	}
	was := where(tr.View())
	show(tr, eng, followSnapshot(12))
	if now := where(tr.View()); now != was {
		t.Fatalf("the panel moved away from where the user scrolled: %s, was %s", now, was)
	}
	tr.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
	show(tr, eng, followSnapshot(20))
	if v := tr.View(); !strings.Contains(v, "new21.txt") {
		t.Fatalf("after G the panel does not follow new rows again:\n%s", v)
	}
}

// A finished, failed or cancelled row says what happened under it, never
// an unexplained row of done cells (a simple store's single ■ was one):
// at 80 and 120 columns, the part strip shows only while a transfer runs
// or, stopped, when it has several parts to tell apart.
func TestFinishedRowsExplainTheirSecondLine(t *testing.T) {
	tr, eng := newTestPanel()
	done1 := []transfer.PartState{transfer.PartDone}
	snap := transfer.Snapshot{Jobs: []transfer.JobSnapshot{
		{ID: 1, Name: "a.txt", State: transfer.Done, Size: 3, Acked: 3, Handle: "HANDLEAAA", Parts: done1},
		{ID: 2, Name: "b.bin", State: transfer.Done, Size: 9 << 20, Acked: 9 << 20, Handle: "HANDLEBBB",
			Parts: []transfer.PartState{transfer.PartDone, transfer.PartDone, transfer.PartDone}},
		{ID: 3, Name: "c.png", State: transfer.Done, Size: 3, Acked: 3, Target: "imgbb", Handle: "x1", URL: "https://i.ibb.co/x1/c.png", Parts: done1},
		{ID: 4, Name: "d.txt", State: transfer.Cancelled, Size: 3, Parts: []transfer.PartState{transfer.PartPending}},
		{ID: 5, Name: "e.txt", State: transfer.Failed, Size: 3, Err: "store: 500", Parts: done1},
		{ID: 6, Name: "f.bin", Dir: transfer.Download, State: transfer.Done, Size: 3, Acked: 3, SavedAs: "/tmp/dl/f.bin"},
	}}
	for _, w := range []int{80, 120} {
		show(tr, eng, snap)
		tr.SetSize(w, 20)
		v := tr.View()
		lines := strings.Split(v, "\n")
		for i := 3; i < len(lines); i += 2 { // each row's second line
			if l := lines[i]; strings.ContainsAny(l, "■·") {
				t.Errorf("width %d: line %d shows a part strip for a stopped simple or finished row: %q", w, i, l)
			}
		}
		for _, want := range []string{"stored as HANDLEAAA", "stored as HANDLEBBB", "at https://i.ibb.co/x1/c.png",
			"saved as /tmp/dl/f.bin", "failed, 0 B of 3 B accepted: store: 500"} {
			if !strings.Contains(v, want) {
				t.Errorf("width %d: panel lacks %q:\n%s", w, want, v)
			}
		}
	}
}

// A host upload held back by its service's pace says it is waiting, and
// for how long, instead of looking like a transfer that does not move.
func TestRowSaysPaceWait(t *testing.T) {
	tr, eng := newTestPanel()
	show(tr, eng, transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "n.txt", Target: "pastebin", State: transfer.Running, Size: 10,
		Started: fixedNow, PacedUntil: fixedNow.Add(8 * time.Second), Parts: []transfer.PartState{transfer.PartSending}}},
		Total: transfer.Totals{Files: 1, Running: 1, Bytes: 10}})
	tr.SetSize(100, 6)
	if v := tr.View(); !strings.Contains(v, "waiting 8s for pastebin's rate limit") || strings.Contains(v, "uploading") {
		t.Fatalf("paced row:\n%s", v)
	}
}

// On a finished row no row key applies; the footer offers clearing the
// finished transfers instead of showing nothing.
func TestFinishedRowFooterOffersClear(t *testing.T) {
	tr, eng := newTestPanel()
	show(tr, eng, transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a", State: transfer.Done, Size: 1, Acked: 1}},
		Total: transfer.Totals{Files: 1, Done: 1, Bytes: 1, Acked: 1}})
	var short []string
	for _, b := range tr.Keys().Short {
		if b.Enabled() {
			short = append(short, b.Help().Key+" "+b.Help().Desc)
		}
	}
	if len(short) != 1 || short[0] != "D clear finished" {
		t.Fatalf("footer keys %q", short)
	}
}

// A batch that ran longer than NotifyAfter rings the bell and sends OSC 9.
func TestBatchNotification(t *testing.T) {
	clock := fixedNow
	var term strings.Builder
	p, eng := newTestPanelAt(func() time.Time { return clock }, &term)
	queued := transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a", State: transfer.Queued}}, Total: transfer.Totals{Files: 1, Queued: 1}}
	done := transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a", State: transfer.Done}}, Total: transfer.Totals{Files: 1, Done: 1}}
	show(p, eng, queued)
	clock = clock.Add(10 * time.Second)
	runAll(show(p, eng, done))
	if !strings.Contains(term.String(), "\a\x1b]9;fsdeck: transfers finished\a") {
		t.Fatalf("terminal got %q", term.String())
	}
	term.Reset()
	show(p, eng, queued)
	if runAll(show(p, eng, done)); term.Len() != 0 {
		t.Fatalf("a short batch must not notify: %q", term.String())
	}
}

// runAll runs cmd and every command its batches hold (their messages are
// dropped).
func runAll(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if batch, ok := cmd().(tea.BatchMsg); ok {
		for _, c := range batch {
			runAll(c)
		}
	}
}

// reversedAt reports whether reverse video is on where sub first starts.
func reversedAt(s, sub string) bool {
	i := strings.Index(s, sub)
	on := false
	for _, sgr := range regexp.MustCompile(`\x1b\[([0-9;]*)m`).FindAllStringSubmatchIndex(s[:i], -1) {
		for _, p := range strings.Split(s[sgr[2]:sgr[3]], ";") {
			switch p {
			case "", "0", "27":
				on = false
			case "7":
				on = true
			}
		}
	}
	return on
}

// The bar of the row under the cursor is not reversed (reversed full blocks
// are invisible), and rows that are not running show no ▶ in the strip.
func TestTransferRowBarVisibleAndStoppedRowsIdle(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	tr, eng := newTestPanel()
	parts := []transfer.PartState{transfer.PartDone, transfer.PartSending, transfer.PartPending}
	var snap transfer.Snapshot
	for i, st := range []transfer.State{transfer.Running, transfer.Paused, transfer.Cancelled} {
		snap.Jobs = append(snap.Jobs, transfer.JobSnapshot{ID: transfer.JobID(i + 1), Name: "f", Size: 100, State: st, Acked: 50,
			Parts: parts, Started: fixedNow})
	}
	show(tr, eng, snap)
	tr.SetSize(100, 12)
	tr.Focus()
	lines := strings.Split(tr.View(), "\n")
	if !strings.Contains(lines[2], "█") || reversedAt(lines[2], "█") {
		t.Fatalf("cursor row's bar reversed or missing: %q", lines[2])
	}
	for _, l := range lines[5:] {
		if strings.Contains(ansi.Strip(l), "▶") {
			t.Fatalf("a stopped row shows ▶: %q", ansi.Strip(l))
		}
	}
}

// stubHost is a hosting target that refuses every upload (the panel's
// questions never send one).
type stubHost struct {
	name string
	caps hosts.Capabilities
}

func (h stubHost) Name() string                     { return h.name }
func (h stubHost) Capabilities() hosts.Capabilities { return h.caps }
func (h stubHost) Upload(context.Context, hosts.File, hosts.UploadOptions, hosts.Progress) (hosts.Result, error) {
	return hosts.Result{}, errors.New("stub")
}

// The visibility answer is the upload's privacy option.
func TestUploadVisibilityOption(t *testing.T) {
	p, _ := newTestPanel()
	pb := stubHost{name: "pastebin", caps: hosts.Capabilities{Kind: hosts.TextOnly, Privacy: true}}
	p.Update(uikit.TargetsMsg{Targets: uikit.NewTargets([]uikit.TargetConn{{Name: "pastebin", Title: "Pastebin", Host: pb, Caps: pb.caps}},
		"", uikit.ConnTarget(uikit.TargetConn{Name: fstarget.Name, Title: "Filestack"}, uikit.Connection{}, uikit.ModeCloud, fstarget.Options{}), uikit.ModeCloud)})
	files := []transfer.UploadFile{{Path: "/work/notes.txt", Size: 5}}
	cmd := p.Update(uploadOptsMsg{files: files, dest: uploadDest{target: "pastebin", ask: true}, step: 1})
	menu, ok := cmd().(uikit.OpenMsg).Overlay.(uikit.Menu)
	if !ok || len(menu.Items()) != 3 {
		t.Fatalf("visibility menu %+v", menu)
	}
	// The answer queues the files with the option (through a counted
	// step).
	queued := func(m tea.Msg) (queueUploadMsg, bool) {
		st, _ := m.(uikit.StepMsg)
		q, ok := st.Msg.(queueUploadMsg)
		return q, ok
	}
	next := menu.Items()[1].Msg.(uploadOptsMsg)
	got, ok := queued(p.Update(next)())
	if !ok || got.dest.target != "pastebin" || got.dest.opts.Privacy != hosts.Unlisted || len(got.files) != 1 {
		t.Fatalf("unlisted gave %+v", got)
	}
	next = menu.Items()[2].Msg.(uploadOptsMsg)
	if got, ok := queued(p.Update(next)()); !ok || got.dest.opts.Privacy != hosts.Private {
		t.Fatalf("private gave %+v", got)
	}
}
