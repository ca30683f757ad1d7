package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An invalid config.toml does not stop a headless command, nor is it
// ignored silently: the command warns once on stderr, naming the file and
// line, and goes on with the defaults (stdout has only the results).
func TestCLIConfigWarnsOnceAndGoesOn(t *testing.T) {
	for _, tc := range []struct {
		name, toml, want string
	}{
		{"syntax", "[transfers]\nfiles = 4\nparts = = 2\n", "config.toml:3:"},
		{"range", "[transfers]\n\nfiles = 100\n", "config.toml:3: transfers.files: expected a whole number from 1 to 64; using the default"},
		{"unknown", "[store]\nacess = \"private\"\n", "config.toml:2: store.acess: unknown option; ignored"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			cfg := filepath.Join(c.cfg, "config.toml")
			if err := os.WriteFile(cfg, []byte(tc.toml), 0o600); err != nil {
				t.Fatal(err)
			}
			c.file("f.txt", []byte("f"))
			out, errOut, code := c.run("", "upload", "-q", "f.txt")
			if code != 0 || len(strings.TrimSpace(out)) != 20 {
				t.Fatalf("upload: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			if strings.Count(errOut, "fsdeck: config: ") != 1 || !strings.Contains(errOut, "fsdeck: config: "+cfg) || !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q: want one warning naming %s and %q", errOut, cfg, tc.want)
			}
			out, errOut, code = c.run("", "ls", "-q")
			if code != 0 || strings.Count(errOut, "fsdeck: config: ") != 1 || !strings.Contains(errOut, tc.want) || strings.Contains(out, "config") {
				t.Errorf("ls: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
}
