package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// quit = ["q","u"] shadows upload in the local pane: loading the config
// (start-up and `config check` both do) says which keys and actions.
func TestKeyConflictsReported(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(p, []byte("[keys]\nquit = [\"q\", \"u\"]\nstudio_store = [\"a\"]\n"), 0o600)
	_, warns := LoadConfig(p)
	joined := strings.Join(warns, "\n")
	for _, want := range []string{`local pane: key "u" is bound to both quit and upload; only quit works there`,
		`transform studio: key "a" is bound to both studio_add and studio_store`} {
		if !strings.Contains(joined, want) {
			t.Fatalf("missing %q in:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "remote pane: key \"u\"") {
		t.Fatalf("u does nothing else in the remote pane:\n%s", joined)
	}
}

// The target switcher is live everywhere and upload-to in the local pane, so
// a key they share with another action of those scopes is reported too.
func TestKeyConflictsOnTargetKeys(t *testing.T) {
	keys := DefaultConfig().Keys
	keys["switch_target"] = []string{"r"}
	keys["upload_to"] = []string{"m"}
	joined := strings.Join(KeyConflicts(keys), "\n")
	for _, want := range []string{`local pane: key "r" is bound to both rename and switch_target`,
		`remote pane: key "r" is bound to both refresh and switch_target`,
		`local pane: key "m" is bound to both bookmark and upload_to`} {
		if !strings.Contains(joined, want) {
			t.Fatalf("missing %q in:\n%s", want, joined)
		}
	}
}

// J and K scroll the file preview in the whole main view (with none
// shown they say what shows it), so the API key bound to K again, as it
// once was, is a conflict there: K would only ever scroll.
func TestKeyConflictsOnPreviewKeys(t *testing.T) {
	keys := DefaultConfig().Keys
	keys["api_key"] = []string{"K"}
	joined := strings.Join(KeyConflicts(keys), "\n")
	for _, scope := range []string{"local pane", "remote pane", "transfers panel"} {
		if want := scope + `: key "K" is bound to both api_key and preview_up; only preview_up works there`; !strings.Contains(joined, want) {
			t.Errorf("missing %q in:\n%s", want, joined)
		}
	}
}

// The defaults have no conflicts (enter for open and details is on purpose).
func TestDefaultKeysHaveNoConflicts(t *testing.T) {
	if c := KeyConflicts(DefaultConfig().Keys); len(c) != 0 {
		t.Fatalf("conflicts in the defaults: %v", c)
	}
}

// ScopedKeys takes a shadowed key from the action that loses it, in that
// scope only, and keeps keys shared on purpose.
func TestScopedKeysDropShadowedKeys(t *testing.T) {
	keys := DefaultConfig().Keys
	keys["quit"] = []string{"q", "u"}
	keys["upload_to"] = []string{"ctrl+u", "u"}
	sc := ScopedKeys(keys)
	if got := strings.Join(sc["local pane"]["upload"], ","); got != "" {
		t.Fatalf("local pane upload keeps %q", got)
	}
	if got := strings.Join(sc["local pane"]["upload_to"], ","); got != "ctrl+u" {
		t.Fatalf("local pane upload_to = %q, want ctrl+u", got)
	}
	if got := strings.Join(sc["local pane"]["quit"], ","); got != "q,u" {
		t.Fatalf("local pane quit = %q", got)
	}
	if got := strings.Join(sc["local pane"]["details"], ","); !strings.Contains(got, "enter") {
		t.Fatalf("details lost enter (shared with open on purpose): %q", got)
	}
	if _, ok := sc["remote pane"]["upload"]; ok {
		t.Fatal("the remote pane has an upload action")
	}
}
