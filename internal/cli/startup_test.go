package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// BenchmarkStartupToFirstFrame measures what `fsdeck` does before its first
// full frame in local mode: start the built-in server, open the ledger,
// build the model, run its first commands (list the directory, read the
// ledger and the journal) and render. Compilation and the terminal's own
// setup are excluded.
func BenchmarkStartupToFirstFrame(b *testing.B) {
	dir := b.TempDir()
	paths := store.Paths{Data: filepath.Join(dir, "data"), Config: filepath.Join(dir, "cfg")}
	paths.Ensure()
	cfg := store.DefaultConfig()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		conn, err := sess.Connect(os.Getenv, paths, cfg, sess.Options{Local: true, Addr: "127.0.0.1:0"})
		if err != nil {
			b.Fatal(err)
		}
		ledger, err := store.Open(paths.LedgerPath())
		if err != nil {
			b.Fatal(err)
		}
		m := ui.New(ui.Deps{Remote: conn.Client, Ledger: ledger, Scope: conn.Scope, Mode: uiMode(conn),
			Endpoint: conn.Endpoint, StartDir: dir, Settings: ui.SettingsFrom(cfg)})
		var model tea.Model = m
		model, _ = model.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		untilFirstFrame(b, model, m.Init())
		b.StopTimer()
		ledger.Close()
		conn.Close()
		b.StartTimer()
	}
}

// untilFirstFrame runs commands concurrently, as Bubble Tea does, feeding
// their messages to the model until the screen shows the listing and the
// ledger (the progress listener, which waits for uploads, never answers).
func untilFirstFrame(b *testing.B, m tea.Model, cmd tea.Cmd) tea.Model {
	msgs := make(chan tea.Msg, 64)
	run := func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() { msgs <- c() }()
	}
	run(cmd)
	timeout := time.After(10 * time.Second)
	for {
		select {
		case msg := <-msgs:
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					run(c)
				}
				continue
			}
			var next tea.Cmd
			m, next = m.Update(msg)
			run(next)
			if v := m.View(); strings.Contains(v, "items ·") && strings.Contains(v, "files ·") && !strings.Contains(v, "loading") {
				return m
			}
		case <-timeout:
			b.Fatalf("no complete first frame:\n%s", m.View())
		}
	}
}
