package ui

import (
	"bytes"
	"net"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// With the server down, a refresh shows each failed attempt and why
// while it retries, then the give-up message, never only "refreshing…".
func TestRefreshShowsRetries(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 1)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()
	c, err := filestack.New(filestack.Config{APIKey: "UIKEYaaaaaaaaaaaaaaaaa", APIBase: down + "/api", UploadBase: down, CDNBase: down,
		Retry: filestack.RetryPolicy{Attempts: 4, Base: 150 * time.Millisecond, Max: 150 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	d := e.deps(fixtureTree(t))
	d.Remote = c
	tm := teatest.NewTestModel(t, New(d), teatest.WithInitialTermSize(140, 30))
	waitFor(t, tm, "ledger", func(b []byte) bool { return bytes.Contains(b, []byte("photo-a.jpg")) })
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Send(keyRunes("r"))
	waitFor(t, tm, "attempts and give-up", func(b []byte) bool {
		return bytes.Contains(b, []byte("refresh: attempt 2 failed (")) && bytes.Contains(b, []byte("gave up after 4 attempts"))
	})
	tm.Send(tea.QuitMsg{})
	tm.FinalModel(t)
}
