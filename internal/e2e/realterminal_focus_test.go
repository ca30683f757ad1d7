package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealTerminalFocus replays a user test: after d (download) in the
// remote pane shows the transfers panel, tabs only ever switch between
// the two panes, so the next d downloads again instead of trashing a local
// file; the pane with the keys is marked ▶ in its title, and w focuses the
// panel (tab then returns to the pane).
func TestRealTerminalFocus(t *testing.T) {
	needTmux(t)
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	os.MkdirAll(work, 0o700)
	os.WriteFile(filepath.Join(work, "keep.txt"), []byte("keep me\n"), 0o600)
	env := []string{"TERM=xterm-256color", "HOME=" + tmp, "FSDECK_DATA_DIR=" + filepath.Join(tmp, "data"),
		"FSDECK_CONFIG_DIR=" + filepath.Join(tmp, "config"), "XDG_RUNTIME_DIR=" + tmp, "XDG_DATA_HOME=" + filepath.Join(tmp, "share"),
		"DBUS_SESSION_BUS_ADDRESS=disabled:", "PATH=" + os.Getenv("PATH"), `TMUX="$TMUX"`, `TMUX_PANE="$TMUX_PANE"`}
	cmd := fsdeckCmd(env, localAddr(t), work)
	tt := startTmux(t, "focus", 80, 24, cmd)

	tt.closeFirstRun()
	tt.waitFor("local pane focused", "▶ Local", "keep.txt")
	tt.keys("u")
	tt.waitFor("upload", "uploaded keep.txt")
	tt.keys("Tab")
	tt.waitFor("remote pane focused", "▶ Remote")
	tt.keys("d")
	tt.waitFor("download", "downloaded keep.txt")
	for i, want := range []string{"▶ Local", "▶ Remote"} {
		tt.keys("Tab")
		if s := tt.waitFor(fmt.Sprintf("tab %d", i+1), want); strings.Contains(s, "▶ Transfers") {
			t.Fatalf("tab %d reached the transfers panel:\n%s", i+1, s)
		}
	}
	tt.keys("d") // the remote pane: a second download, never a trash
	tt.waitFor("second download", "keep (2).txt")
	if _, err := os.Stat(filepath.Join(work, "keep.txt")); err != nil {
		t.Fatalf("keep.txt is gone after d in what should be the remote pane: %v", err)
	}
	tt.keys("w")
	tt.waitFor("panel focused", "▶ Transfers")
	tt.keys("Tab")
	s := tt.waitFor("back to the remote pane", "▶ Remote")
	if strings.Contains(s, "▶ Transfers") || strings.Contains(s, "▶ Local") {
		t.Fatalf("more than one area marked:\n%s", s)
	}
	tt.keys("q")
}
