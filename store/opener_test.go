package store

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// [opener] rules keep the file's order (the first match wins), take a
// list of words or {run, block}, and a bad rule is a warning naming its
// line while the others apply.
func TestOpenerRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[opener]\n\"text/*\" = { run = [\"less\", \"-R\"], block = true }\n\".pdf\" = [\"zathura\"]\n" +
		"\"image/*\" = \"feh\"\n\"*.tar.gz\" = [\"file-roller\", \"%s\"]\n\"a\" = { run = [\"x\"], bloc = true }\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, warns := LoadConfig(path)
	var got []string
	for _, r := range c.Openers {
		got = append(got, r.Pattern+"="+strings.Join(r.Run, " ")+map[bool]string{true: " (block)"}[r.Block])
	}
	want := []string{"text/*=less -R (block)", ".pdf=zathura", "*.tar.gz=file-roller %s"}
	if !slices.Equal(got, want) {
		t.Fatalf("rules %q, want %q", got, want)
	}
	if len(warns) != 2 || !strings.Contains(warns[0], "config.toml:6: opener.a: unknown field \"bloc\"") ||
		!strings.Contains(warns[1], "config.toml:4: opener.image/*: expected a command as a list of words") {
		t.Fatalf("warnings: %q", warns)
	}
	if d := DefaultConfig(); len(d.Openers) != 0 {
		t.Fatalf("default rules: %v", d.Openers)
	}
}
