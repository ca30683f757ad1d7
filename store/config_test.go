package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultConfigMatchesDocs(t *testing.T) {
	c := DefaultConfig()
	if c.Files != 4 || c.Parts != 8 || c.PartSizeMiB != 8 || c.PreviewMode != "auto" || !c.NativeClipboard ||
		c.LocalAddr != "127.0.0.1:7337" || c.Theme["accent"] != "12" || len(c.Keys["quit"]) != 2 || c.Keys["mark"][0] != " " {
		t.Fatalf("%+v", c)
	}
}

func TestLoadConfigWarnsAndKeepsDefaults(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(p, []byte(`[transfers]
files = 8
parts = "many"
bogus = 1

[theme]
accent = "#ff0000"
muted = "purple"

[keys]
upload = ["ctrl+u", "u"]
quit = "q"
fly = ["f"]
`), 0o600)
	c, warns := LoadConfig(p)
	if c.Files != 8 || c.Parts != 8 || c.Theme["accent"] != "#ff0000" || c.Theme["muted"] != "8" ||
		strings.Join(c.Keys["upload"], ",") != "ctrl+u,u" || len(c.Keys["quit"]) != 2 {
		t.Fatalf("%+v", c)
	}
	want := []string{p + ":3: transfers.parts: expected a whole number", p + ":4: transfers.bogus: unknown option",
		p + ":8: theme.muted:", p + ":12: keys.quit:", p + ":13: keys.fly: unknown action"}
	all := strings.Join(warns, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("warnings lack %q:\n%s", w, all)
		}
	}
	os.WriteFile(p, []byte("[transfers\nfiles = 2\n"), 0o600)
	c, warns = LoadConfig(p)
	if c.Files != 4 || len(warns) != 1 || !strings.Contains(warns[0], p+":1:") || !strings.Contains(warns[0], "using all defaults") {
		t.Fatalf("syntax error: %+v %v", c.Files, warns)
	}
	if c, warns := LoadConfig(filepath.Join(t.TempDir(), "none.toml")); len(warns) != 0 || c.Files != 4 {
		t.Fatal("a missing file is not an error")
	}
}
