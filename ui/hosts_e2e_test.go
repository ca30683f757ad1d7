package ui

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/ui/dialog"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// End to end in local mode: the real engine uploads one file to each
// target's emulator over HTTP (all mounted on one server by
// builtin.Mount, as fsdeck serve and local mode do). Each is chosen with T,
// sent with u, and then listed in that target's remote pane with a URL
// that answers.
func TestEndToEndUploadToEveryTarget(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	files := map[string]string{}
	for _, tc := range he.targets {
		name, data := "to-"+tc.Name+".bin", []byte("bytes for "+tc.Name+"\n")
		switch tc.Caps.Kind.String() {
		case "images only":
			name, data = "to-"+tc.Name+".png", pngBytes(t)
		case "text only":
			name = "to-" + tc.Name + ".txt"
		}
		putFile(t, dir, name, data)
		files[tc.Name] = name
	}
	tm := teatest.NewTestModel(t, New(he.deps(dir)), teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "listing", func(b []byte) bool { return bytes.Contains(b, []byte("to-pastebin.txt")) })
	for _, tc := range he.targets {
		// Each step waits for the screen to show the last one took
		// effect: the switch and the filter complete in commands.
		tm.Send(keyRunes("T"))
		tm.Send(keyRunes(he.menuKeyOf(t, tc.Name)))
		// Output is read as it comes: Filestack's title was in the
		// first frame, so only a switch to another target shows anew.
		if tc.Name != fstarget.Name {
			waitFor(t, tm, "switched to "+tc.Title, func(b []byte) bool { return bytes.Contains(b, []byte("LOCAL  "+tc.Title)) })
		}
		pattern := strings.TrimSuffix(files[tc.Name], ".bin")
		tm.Send(keyRunes("/"))
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(pattern), Paste: true})
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		waitFor(t, tm, "filtered", func(b []byte) bool { return bytes.Contains(b, []byte("match /"+pattern)) })
		tm.Send(keyRunes("u"))
		want := "uploaded " + files[tc.Name] + " to " + tc.Title
		if tc.Name == fstarget.Name {
			want = "uploaded " + files[tc.Name] + " as "
		}
		waitFor(t, tm, want, func(b []byte) bool { return bytes.Contains(b, []byte(want)) })
		tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	}
	tm.Send(tea.QuitMsg{})
	tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model).Shutdown(5 * time.Second)

	// A fresh model (commands run one by one) reads back what the ledger
	// recorded for each target.
	m := startModel(t, he.deps(dir))
	for _, tc := range he.targets {
		m = drain(t, m, uikit.Emit(dialog.SwitchTargetMsg{Name: tc.Name}))
		es := m.remote.Entries()
		if len(es) != 1 || es[0].Filename != files[tc.Name] {
			t.Fatalf("%s's remote pane has %+v\n%s", tc.Title, es, m.View())
		}
		if !strings.Contains(m.remote.View(), files[tc.Name]) || !strings.Contains(m.View(), tc.Title) {
			t.Fatalf("%s: the pane does not show the file:\n%s", tc.Title, m.View())
		}
		if tc.Host != nil && es[0].URL == "" {
			t.Fatalf("%s: no URL recorded: %+v", tc.Title, es[0])
		}
		// Where the service serves the bytes (the CDN, a direct or raw
		// URL) they must be the file's; elsewhere the URL is a page that
		// must answer.
		url, exact := hosts.BytesURL(tc.Caps, es[0].URL, es[0].Links), true
		switch {
		case tc.Host == nil:
			url = he.client.CDNURL(es[0].Handle)
		case url == "":
			url, exact = es[0].URL, false
		}
		if !strings.HasPrefix(url, he.srv.URL) {
			t.Fatalf("%s: URL %q is not the local server's", tc.Title, url)
		}
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want, _ := os.ReadFile(filepath.Join(dir, files[tc.Name]))
		if resp.StatusCode != http.StatusOK || (exact && !bytes.Equal(got, want)) {
			t.Fatalf("%s: GET %s: %s, %d bytes (want %d)", tc.Title, url, resp.Status, len(got), len(want))
		}
		if jobs, _ := he.ledger.Jobs(context.Background(), tc.Scope); len(jobs) != 0 {
			t.Fatalf("%s: journal left %+v", tc.Title, jobs)
		}
	}
}
