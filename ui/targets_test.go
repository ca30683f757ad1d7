package ui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// switchTo presses the switcher key and the target's menu key.
func switchTo(t *testing.T, m *Model, he *hostsEnv, name string) *Model {
	t.Helper()
	return press(t, m, keyRunes("T"), keyRunes(he.menuKeyOf(t, name)))
}

// T lists every target with where it is connected and what it accepts;
// choosing one names it in the title bar, shows its own ledger scope in
// the remote pane and is remembered through SaveTarget.
func TestTargetSwitcherShowsEachTargetsLedger(t *testing.T) {
	he := newHostsEnv(t)
	ctx := context.Background()
	he.ledger.Add(ctx, he.scope, store.Entry{Handle: "FSHANDLExxxxxxxxxxxx", Filename: "on-filestack.txt", Added: fixedNow})
	imgbb := he.target(t, "imgbb")
	he.ledger.Add(ctx, imgbb.Scope, store.Entry{Handle: "ibb1", Filename: "on-imgbb.png", URL: "http://x/ibb1.png", Added: fixedNow})
	he.ledger.Add(ctx, imgbb.Scope, store.Entry{Handle: "ibb2", Filename: "old.png", URL: "http://x/ibb2.png", Added: fixedNow.Add(-time.Hour),
		Expires: fixedNow.Add(-time.Minute)})
	he.ledger.Add(ctx, imgbb.Scope, store.Entry{Handle: "ibb3", Filename: "later.png", URL: "http://x/ibb3.png", Added: fixedNow.Add(-time.Hour),
		Expires: fixedNow.Add(time.Minute)})
	var saved []string
	d := he.deps(t.TempDir())
	d.SaveTarget = func(name string) error { saved = append(saved, name); return nil }
	m := startModel(t, d)
	if v := m.View(); !strings.Contains(v, "on-filestack.txt") || strings.Contains(v, "on-imgbb.png") || !strings.Contains(v, "Filestack") {
		t.Fatalf("start:\n%s", v)
	}
	m = press(t, m, keyRunes("T"))
	v := m.View()
	for _, want := range []string{"Show files of…", "ImgBB · local /imgbb · images only ≤ 32 MiB, expiry",
		"Pastebin", "text only", "Gyazo", "GoFile", "DDownload"} {
		if !strings.Contains(v, want) {
			t.Fatalf("switcher lacks %q:\n%s", want, v)
		}
	}
	m = press(t, m, keyRunes(he.menuKeyOf(t, "imgbb")))
	v = m.View()
	if !strings.Contains(v, "LOCAL  ImgBB") || !strings.Contains(v, "on-imgbb.png") || strings.Contains(v, "on-filestack.txt") ||
		!strings.Contains(v, "old.png (expired)") || strings.Contains(v, "later.png (expired)") || !strings.Contains(v, "later.png") {
		t.Fatalf("after switching to ImgBB:\n%s", v)
	}
	if len(saved) != 1 || saved[0] != "imgbb" {
		t.Fatalf("SaveTarget got %v", saved)
	}
	m = switchTo(t, m, he, fstarget.Name)
	if v := m.View(); !strings.Contains(v, "on-filestack.txt") || strings.Contains(v, "on-imgbb.png") {
		t.Fatalf("back on Filestack:\n%s", v)
	}
	// The next run starts where SaveTarget said.
	d.Target = "imgbb"
	if v := startModel(t, d).View(); !strings.Contains(v, "on-imgbb.png") {
		t.Fatalf("Deps.Target not honoured:\n%s", v)
	}
}

// The remote pane of a target other than Filestack honours what it can
// do: no studio, delete only where the API has it, refresh says when there
// is nothing to read back.
func TestHostRemotePaneHonoursCapabilities(t *testing.T) {
	he := newHostsEnv(t)
	ctx := context.Background()
	imgbb := he.target(t, "imgbb")
	he.ledger.Add(ctx, imgbb.Scope, store.Entry{Handle: "ibb1", Filename: "a.png", Mimetype: "image/png", URL: he.srv.URL + "/imgbb/i/ibb1/a.png", Added: fixedNow})
	m := startModel(t, he.deps(t.TempDir()))
	m = switchTo(t, m, he, "imgbb")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("t"))
	if m.studio != nil || !strings.Contains(statusText(m), "transformations are Filestack-only") {
		t.Fatalf("t on ImgBB: studio %v, status %q", m.studio != nil, statusText(m))
	}
	m = press(t, m, keyRunes("x"))
	if m.overlay != nil || !strings.Contains(statusText(m), "ImgBB has no delete API") {
		t.Fatalf("x on ImgBB: %q", statusText(m))
	}
	m = press(t, m, keyRunes("r"))
	if !strings.Contains(statusText(m), "ImgBB has no API to read uploads back") {
		t.Fatalf("r on ImgBB: %q", statusText(m))
	}
	m = press(t, m, keyRunes("U"))
	if m.overlay != nil || !strings.Contains(statusText(m), "storing from a URL are Filestack's") {
		t.Fatalf("U on ImgBB: %q", statusText(m))
	}
	m = press(t, m, keyRunes("d"))
	if jobCount(m) != 1 || m.engine.Snapshot().Jobs[0].Target != "imgbb" {
		t.Fatalf("d on ImgBB: %d jobs, %q", jobCount(m), statusText(m))
	}
	m = press(t, m, keyRunes("?"))
	if v := m.View(); strings.Contains(v, "transform") || strings.Contains(v, "x delete") {
		t.Fatalf("help lists what ImgBB cannot do:\n%s", v)
	}
	gf := he.target(t, "gofile")
	he.ledger.Add(ctx, gf.Scope, store.Entry{Handle: "gf1", Filename: "a.bin", URL: "http://x/d/abc", Added: fixedNow,
		Links: []hosts.Link{{Label: "downloadPage", URL: "http://x/d/abc"}}})
	m = press(t, m, keyRunes("q"))
	m = switchTo(t, m, he, "gofile")
	m = press(t, m, keyRunes("d"))
	if jobCount(m) != 1 || !strings.Contains(statusText(m), "GoFile serves files through a web page") {
		t.Fatalf("d on GoFile: %q", statusText(m))
	}
}

// Gyazo can delete: x asks with the same confirmation and deletes on the
// service and from the ledger.
func TestHostDeleteAsksAndDeletes(t *testing.T) {
	he := newHostsEnv(t)
	ctx := context.Background()
	gy := he.target(t, "gyazo")
	r, err := gy.Host.Upload(ctx, hosts.File{Name: "a.png", Size: int64(len(pngBytes(t))), Body: strings.NewReader(string(pngBytes(t)))}, hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	he.ledger.Add(ctx, gy.Scope, store.Entry{Handle: r.ID, Filename: "a.png", URL: r.URL, Added: fixedNow})
	m := startModel(t, he.deps(t.TempDir()))
	m = switchTo(t, m, he, "gyazo")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("x"))
	if !strings.Contains(m.View(), "Delete a.png from Gyazo?") {
		t.Fatalf("no confirmation:\n%s", m.View())
	}
	m = press(t, m, keyRunes("y"))
	if _, err := gy.Host.(hosts.Stater).Stat(ctx, r.ID); err == nil {
		t.Fatal("still on Gyazo after delete")
	}
	if es, _ := he.ledger.List(ctx, gy.Scope); len(es) != 0 {
		t.Fatalf("ledger still has %+v", es)
	}
	if !strings.Contains(statusText(m), "deleted 1 file from Gyazo") {
		t.Fatalf("status %q", statusText(m))
	}
}

// Y offers the service's extra links under sanitised labels (control
// characters made visible, as everywhere), and copies
// the chosen one.
func TestCopyAsOffersServiceLinks(t *testing.T) {
	he := newHostsEnv(t)
	imgbb := he.target(t, "imgbb")
	he.ledger.Add(context.Background(), imgbb.Scope, store.Entry{Handle: "ibb1", Filename: "a.png", Mimetype: "image/png", URL: "http://x/a.png",
		Links: []hosts.Link{{Label: "thumb", URL: "http://x/t.png"}, {Label: "delete\x1b[31m", URL: "http://x/del"}, {Label: "viewer", URL: "http://x/a.png"}}, Added: fixedNow})
	m := startModel(t, he.deps(t.TempDir()))
	m = switchTo(t, m, he, "imgbb")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("Y"))
	v := m.View()
	if !strings.Contains(v, "thumb URL") || !strings.Contains(v, "delete␛[31m URL") || !strings.Contains(v, "3   viewer URL") || strings.Contains(v, "\x1b[31m") ||
		!strings.Contains(v, "Markdown image") || strings.Contains(v, "signed URL") {
		t.Fatalf("copy-as menu:\n%q", v)
	}
	m = press(t, m, keyRunes("1"))
	if want := "\x1b]52;c;" + b64("http://x/t.png") + "\x07"; !strings.Contains(he.clip.String(), want) {
		t.Fatalf("clipboard got %q", he.clip.String())
	}
	m = press(t, m, keyRunes("y"))
	if want := "\x1b]52;c;" + b64("http://x/a.png") + "\x07"; !strings.Contains(he.clip.String(), want) || !strings.Contains(statusText(m), "URL of a.png") {
		t.Fatalf("y: clipboard %q, status %q", he.clip.String(), statusText(m))
	}
}

// keyedEnv is a hostsEnv where ImgBB and Pastebin have real keys (their
// emulators stand in for the services).
func keyedEnv(t *testing.T) (*hostsEnv, string) {
	t.Helper()
	he := newHostsEnv(t)
	for i := range he.targets {
		if n := he.targets[i].Name; n == "imgbb" || n == "pastebin" {
			he.targets[i].Local = false
		}
	}
	dir := t.TempDir()
	putFile(t, dir, "a.png", pngBytes(t))
	putFile(t, dir, "notes.txt", []byte("some notes\n"))
	return he, dir
}

// logged reports whether the message log has a line containing text.
func logged(m *Model, text string) bool {
	for _, e := range m.status.Log() {
		if strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

// waitLedger waits until the scope's ledger has n entries.
func waitLedger(t *testing.T, l *store.Ledger, s store.Scope, n int) []store.Entry {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		es, err := l.List(context.Background(), s)
		if err == nil && len(es) == n {
			return es
		}
		if time.Now().After(deadline) {
			t.Fatalf("ledger of %s has %d entries (%v), want %d", s.Target, len(es), err, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// With two targets keyed, u asks where (the last choice preselected next
// time) and offers the target's expiry; ctrl+u always asks, and offers
// Pastebin's expiry codes and visibility. The choices reach the services.
func TestUploadToAsksAndRemembers(t *testing.T) {
	he, dir := keyedEnv(t)
	m := startModel(t, he.deps(dir))
	m = press(t, m, keyRunes("u"))
	menu, ok := m.overlay.(uikit.Menu)
	if !ok || !strings.Contains(m.View(), "Upload a.png to…") || menu.Cursor() != 0 {
		t.Fatalf("u with two keyed targets did not ask (cursor on Filestack):\n%s", m.View())
	}
	m = press(t, m, keyRunes(he.menuKeyOf(t, "imgbb")))
	v := m.View()
	for _, want := range []string{"Upload to ImgBB: delete automatically after…", "never", "1 hour", "1 day", "1 week", "1 month", "6 months"} {
		if !strings.Contains(v, want) {
			t.Fatalf("expiry menu lacks %q:\n%s", want, v)
		}
	}
	m = press(t, m, keyRunes("1"))
	if m.overlay != nil || !logged(m, "queued 1 file for upload to ImgBB") {
		t.Fatalf("after choosing: %q\n%s", statusText(m), m.View())
	}
	m = press(t, m, keyRunes("u"))
	if menu, ok := m.overlay.(uikit.Menu); !ok || menu.Items()[menu.Cursor()].Label != uikit.TargetLabel(he.target(t, "imgbb")) {
		t.Fatalf("the last choice is not preselected:\n%s", m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}, keyRunes("j"), tea.KeyMsg{Type: tea.KeyCtrlU}, keyRunes(he.menuKeyOf(t, "pastebin")))
	v = m.View()
	for _, want := range []string{"Upload to Pastebin: delete automatically after…", "10 minutes", "1 hour", "2 weeks", "1 year"} {
		if !strings.Contains(v, want) {
			t.Fatalf("Pastebin expiry menu lacks %q:\n%s", want, v)
		}
	}
	m = press(t, m, keyRunes("1")) // 10 minutes
	if !strings.Contains(m.View(), "Upload to Pastebin: visibility") {
		t.Fatalf("no visibility question:\n%s", m.View())
	}
	m = press(t, m, keyRunes("u"))
	if !logged(m, "queued 1 file for upload to Pastebin") {
		t.Fatalf("status %q", statusText(m))
	}
	ibb := waitLedger(t, he.ledger, he.target(t, "imgbb").Scope, 1)[0]
	if d := time.Until(ibb.Expires); ibb.Filename != "a.png" || d < 50*time.Minute || d > 61*time.Minute {
		t.Fatalf("ImgBB entry %+v (expires in %s, want 1 hour)", ibb, d)
	}
	pb := waitLedger(t, he.ledger, he.target(t, "pastebin").Scope, 1)[0]
	if d := time.Until(pb.Expires); pb.Filename != "notes.txt" || d < 5*time.Minute || d > 11*time.Minute {
		t.Fatalf("Pastebin entry %+v (expires in %s, want 10 minutes)", pb, d)
	}
	m.Shutdown(5 * time.Second)
}

// ctrl+u asks even when no target has a key; u then goes to the current
// target without asking.
func TestUploadToAsksWithoutKeys(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	putFile(t, dir, "a.png", pngBytes(t))
	m := startModel(t, he.deps(dir))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlU})
	if !strings.Contains(m.View(), "Upload a.png to…") {
		t.Fatalf("ctrl+u did not ask:\n%s", m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}, keyRunes("u"))
	if m.overlay != nil || !strings.Contains(statusText(m), "queued 1 file for upload") || strings.Contains(statusText(m), " to ") {
		t.Fatalf("u without keys: %q\n%s", statusText(m), m.View())
	}
	m.Shutdown(5 * time.Second)
}

// A file the target cannot take is refused, with the reason, before any
// byte is sent; the others still go.
func TestCapabilityRefusalBeforeSending(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	putFile(t, dir, "a.png", pngBytes(t))
	putFile(t, dir, "notes.txt", []byte("some notes\n"))
	m := startModel(t, he.deps(dir))
	m = switchTo(t, m, he, "imgbb")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlA}, keyRunes("u"))
	if !logged(m, "queued 1 file for upload to ImgBB; 1 cannot be: notes.txt: accepts images only") {
		t.Fatalf("status %q", statusText(m))
	}
	refused := jobNamed(t, m, "notes.txt")
	if refused.State != transfer.Failed || !strings.Contains(refused.Err, "accepts images only") || refused.Acked != 0 || !refused.Started.IsZero() {
		t.Fatalf("refused job %+v", refused)
	}
	// Pastebin: the image is not text, and a text over its size limit is
	// refused too.
	big := he.target(t, "pastebin").Caps.MaxSize + 1
	putFile(t, dir, "big.txt", []byte(strings.Repeat("a", int(big))))
	m = switchTo(t, m, he, "pastebin")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlR}, tea.KeyMsg{Type: tea.KeyCtrlA}, keyRunes("u"))
	if !logged(m, "queued 1 file for upload to Pastebin; 2 cannot be: a.png: accepts text only; big.txt: file is") {
		t.Fatalf("log %+v", m.status.Log())
	}
	if j := jobNamed(t, m, "big.txt"); j.State != transfer.Failed || j.Acked != 0 || !j.Started.IsZero() {
		t.Fatalf("big.txt job %+v", j)
	}
	m.Shutdown(5 * time.Second)
}

// When no file can go, the status line says nothing was queued (not
// "queued 0 files"), and a refused file's bytes stay out of the header's
// totals: the bar reaches 100% when everything that could go went.
func TestNothingQueuedAndRefusedBytes(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	png := pngBytes(t)
	putFile(t, dir, "a.png", png)
	putFile(t, dir, "notes.txt", []byte(strings.Repeat("n", 3000)))
	m := startModel(t, he.deps(dir))
	m = switchTo(t, m, he, "imgbb")
	m = press(t, m, keyRunes("j"), keyRunes("u")) // notes.txt
	if !logged(m, "nothing queued for ImgBB: notes.txt: accepts images only") || statusKind(m) != uikit.StatusErr {
		t.Fatalf("status %v %q", statusKind(m), statusText(m))
	}
	m = press(t, m, keyRunes("k"), keyRunes("u")) // a.png
	m = waitIdle(t, m)
	m.transfers.SetSize(120, 12)
	want := fmt.Sprintf("100%% 1/2 files · %s/%s · 1 failed", uikit.FormatSize(int64(len(png))), uikit.FormatSize(int64(len(png))))
	if v := m.transfers.View(); !strings.Contains(v, want) {
		t.Fatalf("header lacks %q:\n%s", want, v)
	}
	m.Shutdown(5 * time.Second)
}

// jobNamed is the engine's last job of that name.
func jobNamed(t *testing.T, m *Model, name string) transfer.JobSnapshot {
	t.Helper()
	var out *transfer.JobSnapshot
	for _, j := range m.engine.Snapshot().Jobs {
		if j.Name == name {
			out = &j
		}
	}
	if out == nil {
		t.Fatalf("no job %s", name)
	}
	return *out
}

// On a target other than Filestack, ctrl+k asks for that service's key (where
// to get one shown, masked), saves it under the target's keyring name and
// rebuilds the target with it, without claiming it works.
func TestTargetKeyDialogSavesAndConnects(t *testing.T) {
	he := newHostsEnv(t)
	sec := &fakeSecrets{saved: map[string]string{}}
	d := he.deps(t.TempDir())
	d.Secrets = sec
	var gotName, gotKey string
	d.ConnectTarget = func(name, key string) (uikit.TargetConn, error) {
		gotName, gotKey = name, key
		tc := he.target(t, name)
		tc.Local, tc.Endpoint = false, "https://api.imgbb.com"
		return tc, nil
	}
	m := startModel(t, d)
	m = switchTo(t, m, he, "imgbb")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlK})
	v := m.View()
	if !strings.Contains(v, "ImgBB key") || !strings.Contains(v, "api.imgbb.com") || strings.Contains(v, "Filestack API key") {
		t.Fatalf("ctrl+k on ImgBB:\n%s", v)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ibbkey42"), Paste: true})
	if strings.Contains(m.View(), "ibbkey42") {
		t.Fatal("the key is shown while typed")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if sec.saved[store.TargetSecret("imgbb")] != "ibbkey42" || len(sec.saved) != 1 || gotName != "imgbb" || gotKey != "ibbkey42" {
		t.Fatalf("saved %v, connected %q %q", sec.saved, gotName, gotKey)
	}
	// No request was made: the key is set, not known to work.
	if v := m.View(); !strings.Contains(v, " IMGBB ") || !strings.Contains(v, "https://api.imgbb.com") || !strings.Contains(v, "key set, not checked yet") ||
		!strings.Contains(statusText(m), "ImgBB key set (key saved in the OS keyring); not checked yet") || strings.Contains(statusText(m)+v, "connected") {
		t.Fatalf("after saving the key: %q\n%s", statusText(m), v)
	}
}

// A transfer to another target names it on its row, and its end says
// where the file went.
func TestTransferRowNamesTarget(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	putFile(t, dir, "a.png", pngBytes(t))
	m := startModel(t, he.deps(dir))
	m = switchTo(t, m, he, "gyazo")
	m = press(t, m, keyRunes("u"))
	m = waitJob(t, m, transfer.Done)
	if v := m.transfers.View(); !strings.Contains(v, "⇡ Gyazo: a.png") {
		t.Fatalf("row does not name the target:\n%s", v)
	}
	j := m.engine.Snapshot().Jobs[0]
	if j.URL == "" || !logged(m, "uploaded a.png to Gyazo: "+j.URL) {
		t.Fatalf("job %+v, status %q", j, statusText(m))
	}
	m.Shutdown(5 * time.Second)
}

// The duplicate check asks about content already uploaded to the same
// target only.
func TestDuplicateCheckPerTarget(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	putFile(t, dir, "a.png", pngBytes(t))
	m := startModel(t, he.deps(dir))
	m = switchTo(t, m, he, "imgbb")
	m = press(t, m, keyRunes("u"))
	m = waitJob(t, m, transfer.Done)
	first := m.engine.Snapshot().Jobs[0]
	m = press(t, m, keyRunes("u"))
	// The question names the target, when and where the earlier copy is.
	// (the date is the service's, not fsdeck's clock)
	if v := m.View(); first.URL == "" || !strings.Contains(v, "a.png is already on ImgBB") ||
		!regexp.MustCompile(`uploaded \w{3} \d+ [\d:]+ as `+regexp.QuoteMeta(uikit.ShortMiddle(first.URL, 44))).MatchString(v) {
		t.Fatalf("a second upload to ImgBB did not ask:\n%s", m.View())
	}
	m = press(t, m, keyRunes("s"))
	m = switchTo(t, m, he, "gyazo")
	m = press(t, m, keyRunes("u"))
	if m.overlay != nil || !logged(m, "queued 1 file for upload to Gyazo") {
		t.Fatalf("Gyazo asked about ImgBB's upload:\n%s", m.View())
	}
	m.Shutdown(5 * time.Second)
}

// A grouped upload (more than three files) to another target names it on
// the group's row.
func TestTransferGroupRowNamesTarget(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	for i := 0; i < 4; i++ {
		putFile(t, dir, fmt.Sprintf("p%d.png", i), pngBytes(t))
	}
	m := startModel(t, he.deps(dir))
	m = switchTo(t, m, he, "gyazo")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlA}, keyRunes("u"))
	deadline := time.Now().Add(20 * time.Second)
	for m.engine.Snapshot().Total.Done < 4 {
		if time.Now().After(deadline) {
			t.Fatalf("uploads did not finish: %+v", m.engine.Snapshot().Total)
		}
		time.Sleep(10 * time.Millisecond)
	}
	mm, cmd := m.Update(transfers.TickMsg{})
	m = drain(t, mm.(*Model), cmd)
	if rows := panelRows(m); len(rows) != 1 || !strings.ContainsAny(rows[0], "▸▾") || !strings.Contains(m.transfers.View(), "Gyazo: ") {
		t.Fatalf("group row:\n%s", m.transfers.View())
	}
	m.Shutdown(5 * time.Second)
}

// Keys typed right after choosing a target in T act on that target, even
// before any command of the choice has run (Bubble Tea delivers keys
// already read ahead of command results): the title, the current target
// and the remote pane change in the key's own Update, so d downloads
// nothing of the previous target.
func TestTargetChoiceTakesEffectBeforeNextKey(t *testing.T) {
	he := newHostsEnv(t)
	ctx := context.Background()
	he.ledger.Add(ctx, he.scope, store.Entry{Handle: "FSHANDLExxxxxxxxxxxx", Filename: "on-filestack.txt", Added: fixedNow})
	m := startModel(t, he.deps(t.TempDir()))
	if m.focus != focusRemote {
		m = press(t, m, tea.KeyMsg{Type: tea.KeyTab})
	}
	var cmds []tea.Cmd
	send := func(k tea.KeyMsg) {
		mm, cmd := m.Update(k)
		m, cmds = mm.(*Model), append(cmds, cmd)
	}
	send(keyRunes("T"))
	send(keyRunes(he.menuKeyOf(t, "imgbb")))
	if m.ts.targets.Current().Name != "imgbb" || !strings.Contains(m.View(), "ImgBB") {
		t.Fatalf("the choice has not taken effect:\n%s", m.View())
	}
	for _, e := range m.remote.Entries() {
		if e.Filename == "on-filestack.txt" {
			t.Fatalf("the remote pane still lists Filestack's files after switching")
		}
	}
	send(keyRunes("d"))
	for _, c := range cmds {
		m = drain(t, m, c)
	}
	if n := jobCount(m); n != 0 {
		t.Fatalf("d right after switching queued %d download(s) of the previous target", n)
	}
}
