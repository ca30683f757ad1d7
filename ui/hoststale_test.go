package ui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
)

// r on a Pastebin row whose paste the server no longer has marks it gone
// (Pastebin stats by the paste's raw URL), and leaves a live one alone.
func TestRefreshMarksStalePastebinRowGone(t *testing.T) {
	he := newHostsEnv(t)
	ctx := context.Background()
	pb := he.target(t, "pastebin")
	live, err := pb.Host.Upload(ctx, hosts.File{Name: "live.txt", Size: -1, Body: strings.NewReader("still here\n")}, hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	he.ledger.Add(ctx, pb.Scope, store.Entry{Handle: live.ID, Filename: "live.txt", URL: live.URL, Links: live.Links, Added: fixedNow})
	const staleID = "ZZZZZZZZ" // a paste this server does not have (expired, deleted, or lost)
	stale := pb.Endpoint + "/" + staleID
	he.ledger.Add(ctx, pb.Scope, store.Entry{Handle: staleID, Filename: "stale.txt", URL: stale,
		Links: []hosts.Link{{Label: hosts.LinkRaw, URL: pb.Endpoint + "/raw/" + staleID}}, Added: fixedNow.Add(1)})
	m := startModel(t, he.deps(t.TempDir()))
	m = switchTo(t, m, he, "pastebin")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, tea.KeyMsg{Type: tea.KeyCtrlA}, keyRunes("r"))
	got := map[string]bool{}
	for _, e := range m.remote.Entries() {
		got[e.Handle] = e.Gone
	}
	if len(got) != 2 || !got[staleID] || got[live.ID] {
		t.Fatalf("gone marks %v (want only %s)", got, staleID)
	}
	if !strings.Contains(statusText(m), "1 file no longer on Pastebin") {
		t.Fatalf("status %q", statusText(m))
	}
	if e, err := he.ledger.Get(ctx, pb.Scope, staleID); err != nil || !e.Gone {
		t.Fatalf("ledger row not marked gone: %+v %v", e, err)
	}
}
