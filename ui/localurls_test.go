package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Local mode's hosting-target rows were recorded under the port of the
// session that uploaded them. Read from a ledger told the local server's
// current base (as the program tells it: store.Ledger.SetLocalBase), y,
// Y (copy-as), details and the duplicate question all give URLs on the
// current port, which answer; before, they gave the dead one.
func TestLocalTargetURLsFollowTheServer(t *testing.T) {
	he := newHostsEnv(t)
	he.ledger.SetLocalBase(func() string { return he.srv.URL })
	for i := range he.targets {
		if he.targets[i].Name == "imgbb" {
			he.targets[i].Scope.Endpoint = store.LocalEndpoint
		}
	}
	imgbb := he.target(t, "imgbb")
	const old = "http://127.0.0.1:9/imgbb" // an earlier session's port
	dir, data := t.TempDir(), pngBytes(t)
	putFile(t, dir, "a.png", data)
	sum := sha256.Sum256(data)
	he.ledger.Add(context.Background(), imgbb.Scope, store.Entry{Handle: "ibb1", Filename: "a.png", Mimetype: "image/png",
		URL: old + "/i/ibb1/a.png", SHA256: hex.EncodeToString(sum[:]), Added: fixedNow, Uploaded: fixedNow,
		Links: []hosts.Link{{Label: "thumb", URL: old + "/i/ibb1/t.png"}, {Label: "viewer", URL: old + "/v/ibb1"}}})
	now := he.srv.URL + "/imgbb"
	clipped := func(u string) bool { return strings.Contains(he.clip.String(), "\x1b]52;c;"+b64(u)+"\x07") }

	m := startModel(t, he.deps(dir))
	m = switchTo(t, m, he, "imgbb")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("y"))
	if !clipped(now + "/i/ibb1/a.png") {
		t.Fatalf("y copied %q, want the current port's URL %s", he.clip.String(), now+"/i/ibb1/a.png")
	}
	m = press(t, m, keyRunes("Y"), keyRunes("1"))
	if !clipped(now + "/i/ibb1/t.png") {
		t.Fatalf("copy-as copied %q", he.clip.String())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if v := m.View(); !strings.Contains(v, now+"/i/ibb1/a.png") || !strings.Contains(v, now+"/v/ibb1") || strings.Contains(v, "127.0.0.1:9/") {
		t.Fatalf("details:\n%s", v)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("u"))
	if v := m.View(); !strings.Contains(v, "a.png is already on ImgBB") || !strings.Contains(v, "as "+uikit.ShortMiddle(now+"/i/ibb1/a.png", 44)) {
		t.Fatalf("the duplicate question:\n%s", v)
	}
	m.Shutdown(5 * time.Second)
}
