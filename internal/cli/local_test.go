package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/store"
)

// An address that is not host:port is an error naming where it came from
// (flag, environment), never "busy"; config.toml's is a warning that keeps
// the default.
func TestInvalidAddr(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FSDECK_DATA_DIR", dir)
	t.Setenv("FSDECK_CONFIG_DIR", dir)
	t.Setenv("FILESTACK_API_KEY", "")
	ctx := context.Background()
	for _, c := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--local", "--addr", "nonsense"}, "", `--addr "nonsense": not a host:port address`},
		{[]string{"--local", "--addr", "127.0.0.1:99999"}, "", `--addr "127.0.0.1:99999": port "99999"`},
		{[]string{"--local", "--addr", "bad host!:80"}, "", `--addr "bad host!:80": host "bad host!"`},
		{[]string{"--local"}, "nonsense", `FSDECK_LOCAL_ADDR "nonsense": not a host:port address`},
		{[]string{"serve", "--addr", "nonsense"}, "", `--addr "nonsense": not a host:port address`},
	} {
		t.Setenv("FSDECK_LOCAL_ADDR", c.env)
		var errb bytes.Buffer
		err := runStd(ctx, c.args, strings.NewReader(""), io.Discard, &errb)
		if code := exitCode(err, &errb); code != 2 || !strings.Contains(errb.String(), c.want) || strings.Contains(errb.String(), "busy") {
			t.Errorf("%v (env %q): exit %d, %q; want 2 and %q", c.args, c.env, code, errb.String(), c.want)
		}
	}
	os.WriteFile(filepath.Join(dir, "config.toml"), []byte("[local]\naddr = \"nonsense\"\n"), 0o600)
	cfg, warns := store.LoadConfig(filepath.Join(dir, "config.toml"))
	if cfg.LocalAddr != sess.DefaultLocalAddr || len(warns) != 1 || !strings.Contains(warns[0], "config.toml:2: local.addr: not a host:port address") {
		t.Fatalf("config: %q %q", cfg.LocalAddr, warns)
	}
	// Valid but unusable: reported as such, not as busy.
	if _, err := sess.StartLocal(t.TempDir(), "no-such-host.invalid:7337", true, false); err == nil || strings.Contains(err.Error(), "busy") {
		t.Fatalf("unresolvable host: %v", err)
	}
}
