package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/store"
)

// A busy default port: another fsdeck server with the same data is reused;
// anything else makes the interface's local mode take a free port and say
// so (headless commands refuse: TestHeadlessRefusesBusyAddr).
func TestStartLocalWithBusyPort(t *testing.T) {
	dir := t.TempDir()
	first, err := startLocal(dir, "127.0.0.1:0", false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer first.stop()
	addr := strings.TrimPrefix(first.base, "http://")
	second, err := startLocal(dir, addr, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer second.stop()
	if second.base != first.base || !strings.Contains(second.note, "already running") {
		t.Fatalf("not shared: %+v", second)
	}
	other, _ := net.Listen("tcp", "127.0.0.1:0")
	defer other.Close()
	third, err := startLocal(t.TempDir(), other.Addr().String(), true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer third.stop()
	if third.base == "http://"+other.Addr().String() || !strings.Contains(third.note, "is in use by") {
		t.Fatalf("busy port not avoided: %+v", third)
	}
	// The interface says its URLs move with the port, and how to choose
	// an address that stays.
	for _, w := range []string{other.Addr().String() + " is in use by", strings.TrimPrefix(third.base, "http://"), "URLs shown change this session", "stop working when fsdeck exits", "--addr", "[local] addr"} {
		if !strings.Contains(third.note, w) {
			t.Errorf("note lacks %q: %s", w, third.note)
		}
	}
	creds, _ := loadOrCreateCreds(dir)
	again, _ := loadOrCreateCreds(dir)
	if creds != again || len(creds.APIKey) != 22 {
		t.Fatal("local credentials are not stable")
	}
}

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
	if cfg.LocalAddr != defaultLocalAddr || len(warns) != 1 || !strings.Contains(warns[0], "config.toml:2: local.addr: not a host:port address") {
		t.Fatalf("config: %q %q", cfg.LocalAddr, warns)
	}
	// Valid but unusable: reported as such, not as busy.
	if _, err := startLocal(t.TempDir(), "no-such-host.invalid:7337", true, false); err == nil || strings.Contains(err.Error(), "busy") {
		t.Fatalf("unresolvable host: %v", err)
	}
}

// TestLocalServerTakeover: a process using another's local server (same
// data, same address) serves the address itself once that one stops, so
// its requests carry on after their retries.
func TestLocalServerTakeover(t *testing.T) {
	dir, addr := t.TempDir(), freeAddr(t)
	first, err := startLocal(dir, addr, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer first.stop()
	second, err := startLocal(dir, addr, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer second.stop()
	if !first.serving() || second.serving() || second.base != first.base {
		t.Fatalf("first serving %v, second serving %v (%s, %s)", first.serving(), second.serving(), first.base, second.base)
	}
	if !first.othersUse() {
		t.Error("the serving process does not see the other using its server")
	}
	first.stop()
	for deadline := time.Now().Add(30 * time.Second); !second.serving(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the address was not taken over")
		}
	}
	if p := probeAddr(addr, second.creds); p.kind != probeOurs {
		t.Fatalf("after the takeover %s answers %+v", addr, p)
	}
	third, err := startLocal(dir, addr, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer third.stop()
	if third.serving() || !second.othersUse() {
		t.Fatalf("a later process does not share the new server (serving %v)", third.serving())
	}
}

// An address whose lock fsdeck serve of this data directory holds, but
// which does not answer local mode's plain requests (--tls, another key),
// is refused naming it as such, not as some other program.
func TestBusyAddrHeldByServeOfThisData(t *testing.T) {
	dir := t.TempDir()
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	addr := tlsSrv.Listener.Addr().String()
	lk := addrLock(dir, addr)
	if ok, err := lk.TryLock(); !ok || err != nil {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer lk.Unlock()
	_, err := startLocal(dir, addr, false, false)
	var busy *busyAddrError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), addr+" is in use by") || !strings.Contains(err.Error(), "fsdeck serve of this data directory") {
		t.Fatalf("got %v", err)
	}
}
