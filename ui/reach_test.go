package ui

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// closedPort is a 127.0.0.1 address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// titleBarOf is the screen's first line.
func titleBarOf(m *Model) string { return strings.SplitN(m.View(), "\n", 2)[0] }

// A target with a real key says "key set, not checked yet" until a
// request to it answers ("connected") or fails, then why, naming the host
// (never net/http's quoted URL). Here ImgBB's key points at a closed port,
// then at a working service.
func TestTargetStatusFollowsRequests(t *testing.T) {
	he := newHostsEnv(t)
	in, _ := builtin.Registry().Info("imgbb")
	closed := closedPort(t)
	dead, err := in.New(hosts.Config{BaseURL: "http://" + closed, Key: hostKey, MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range he.targets {
		if tc.Name == "imgbb" {
			he.targets[i] = uikit.TargetConn{Name: "imgbb", Title: "ImgBB", Host: dead, Endpoint: "ImgBB (key 12345678)", Caps: dead.Capabilities(),
				Scope: store.Scope{Target: "imgbb", Endpoint: "dead", KeyFP: "fp"}}
		}
	}
	dir := t.TempDir()
	putFile(t, dir, "a.png", pngBytes(t))
	m := startModel(t, he.deps(dir))
	m = switchTo(t, m, he, "imgbb")
	if bar := titleBarOf(m); !strings.Contains(bar, "key set, not checked yet") || strings.Contains(bar, "connected") {
		t.Fatalf("before any request: %q", bar)
	}
	// The remote pane names the target once, then the key.
	if v := m.View(); !strings.Contains(v, "Remote · ImgBB (key 12345678)") || strings.Contains(v, "ImgBB ImgBB") {
		t.Fatalf("remote pane title:\n%s", v)
	}
	m = press(t, m, keyRunes("u"))
	m = waitJob(t, m, transfer.Failed)
	want := "connection refused by " + closed
	if bar := titleBarOf(m); !strings.Contains(bar, "✗ "+want) {
		t.Fatalf("after a refused upload the title bar says %q, want %q", bar, want)
	}
	j := m.engine.Snapshot().Jobs[0]
	if !strings.Contains(j.Err, want) || strings.Contains(j.Err, "dial tcp") || strings.Contains(j.Err, `Post "`) {
		t.Fatalf("job error %q", j.Err)
	}
	m.Shutdown(5 * time.Second)

	// The same key reaching its service: connected once it answered.
	he.targets = newHostsEnv(t).targets
	for i, tc := range he.targets {
		if tc.Name == "imgbb" {
			he.targets[i].Local = false
		}
	}
	m = startModel(t, he.deps(dir))
	m = switchTo(t, m, he, "imgbb")
	m = press(t, m, keyRunes("u"))
	m = waitJob(t, m, transfer.Done)
	if bar := titleBarOf(m); !strings.Contains(bar, "· connected") {
		t.Fatalf("after an upload that worked: %q", bar)
	}
	m.Shutdown(5 * time.Second)
}

// Filestack with a key behaves alike: a server that cannot be reached is
// named in the title bar after the first request fails.
func TestFilestackStatusNamesUnreachableHost(t *testing.T) {
	e := newTestEnv(t, emulatorOpts())
	closed := closedPort(t)
	c, err := filestack.New(filestack.Config{APIKey: "UIKEYaaaaaaaaaaaaaaaaa", APIBase: "http://" + closed + "/api", UploadBase: "http://" + closed,
		CDNBase: "http://" + closed, Retry: filestack.RetryPolicy{Attempts: 1, Base: time.Millisecond, Max: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dir := t.TempDir()
	putFile(t, dir, "a.txt", []byte("hello"))
	d := e.deps(dir)
	d.Remote, d.Mode, d.Endpoint = c, uikit.ModeCloud, "Filestack (key 12345678)"
	m := startModel(t, d)
	if bar := titleBarOf(m); !strings.Contains(bar, "key set, not checked yet") {
		t.Fatalf("before any request: %q", bar)
	}
	m = press(t, m, keyRunes("u"))
	m = waitJob(t, m, transfer.Failed)
	if bar := titleBarOf(m); !strings.Contains(bar, "✗ connection refused by "+closed) {
		t.Fatalf("after a refused upload: %q", bar)
	}
	m.Shutdown(5 * time.Second)
}

// Only what a request showed counts: a refusal checked before sending
// (no token for a delete) says nothing about reaching the service, a
// cancellation neither; the service refusing the key does.
func TestReachOfCountsOnlyRequests(t *testing.T) {
	for _, c := range []struct {
		err   error
		known bool
		why   string
	}{
		{nil, true, ""},
		{&hosts.Error{Target: "gofile", Kind: hosts.KindAuth, Msg: "deleting needs a token"}, false, ""},
		{&hosts.Error{Target: "imgbb", Kind: hosts.KindAuth, Status: 400, Msg: "Invalid API v1 key"}, true, "the key was refused (HTTP 400)"},
		{context.Canceled, false, ""},
		{&hosts.Error{Target: "imgbb", Kind: hosts.KindOther, Status: 500, Msg: "oops"}, false, ""},
	} {
		r, known := reachOf(c.err)
		if known != c.known || r.why != c.why {
			t.Errorf("%v: known %v why %q, want %v %q", c.err, known, r.why, c.known, c.why)
		}
	}
}

// A host job's error is shown under the target's title, like the
// interface's own refusals ("ImgBB: …", never "imgbb: …" beside it).
func TestHostErrorsUseTheTitle(t *testing.T) {
	he := newHostsEnv(t)
	d := he.deps(t.TempDir())
	eng := withEngine(&d, transfer.Options{})
	m := startModel(t, d)
	eng.canned = &transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a.bin", Target: "imgbb", State: transfer.Failed, Size: 3,
		Err: "imgbb: accepts images only"}}, Total: transfer.Totals{Files: 1, Failed: 1}}
	mm, _ := m.Update(transfers.TickMsg{})
	m = press(t, mm.(*Model), keyRunes("w"))
	if v := m.transfers.View(); !strings.Contains(v, "ImgBB: accepts images only") || strings.Contains(v, "imgbb: accepts") {
		t.Fatalf("row:\n%s", v)
	}
}

// The remote footer on a target lists keys that work there: on ImgBB,
// which cannot refresh, download takes the place refresh had.
func TestHostFooterListsWorkingKeys(t *testing.T) {
	he := newHostsEnv(t)
	ib := he.target(t, "imgbb")
	he.ledger.Add(context.Background(), ib.Scope, store.Entry{Handle: "abc", Filename: "a.png", Mimetype: "image/png",
		URL: "http://127.0.0.1:1/imgbb/i/abc/a.png", Added: fixedNow})
	m := startModel(t, he.deps(t.TempDir()))
	m = switchTo(t, m, he, "imgbb")
	if m.focus != focusRemote {
		m = press(t, m, tea.KeyMsg{Type: tea.KeyTab})
	}
	lines := strings.Split(m.View(), "\n")
	if foot := lines[len(lines)-1]; !strings.Contains(foot, "download") || strings.Contains(foot, "refresh") {
		t.Fatalf("footer %q", foot)
	}
}
