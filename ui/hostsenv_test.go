package ui

import (
	"bytes"
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// hostKey is the key every emulator of a hostsEnv accepts.
const hostKey = "HOSTKEYcccccccccccccccc"

// hostsEnv is local mode as the program builds it: one server with the
// Filestack emulator and every target's emulator mounted in front of it
// (builtin.Mount), the Filestack client and a TargetConn per registered
// target pointed at its emulator, and a temp ledger.
type hostsEnv struct {
	*testEnv
	srv     *httptest.Server
	targets []uikit.TargetConn
}

func newHostsEnv(t *testing.T) *hostsEnv {
	t.Helper()
	const fsKey, fsSecret = "UIKEYaaaaaaaaaaaaaaaaa", "UISECRETbbbbbbbbbbbbbbbbbb"
	emu, err := emulator.New(emulator.Options{DataDir: t.TempDir(), APIKeys: []string{fsKey}, AppSecret: fsSecret})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(builtin.Mount(emu, []string{fsKey, hostKey}, t.TempDir(), nil))
	c, err := filestack.New(filestack.Config{APIKey: fsKey, AppSecret: fsSecret, APIBase: srv.URL + "/api", UploadBase: srv.URL,
		CDNBase: srv.URL, PartSize: filestack.MinPartSize, Retry: filestack.RetryPolicy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		srv.Close()
		emu.Close()
		l.Close()
	})
	he := &hostsEnv{testEnv: &testEnv{emu: emu, client: c, ledger: l, scope: store.Scope{Endpoint: srv.URL, KeyFP: store.Fingerprint(fsKey)},
		clip: &syncBuffer{}}, srv: srv}
	he.targets = append(he.targets, uikit.TargetConn{Name: fstarget.Name, Title: "Filestack", Scope: he.scope, Endpoint: srv.URL, Local: true})
	reg := builtin.Registry()
	for _, name := range reg.Mounted() {
		in, _ := reg.Info(name)
		he.targets = append(he.targets, he.conn(t, in, true))
	}
	return he
}

// conn builds a target pointed at its mounted emulator.
func (he *hostsEnv) conn(t *testing.T, in hosts.Info, local bool) uikit.TargetConn {
	t.Helper()
	base := in.LocalURL(he.srv.URL)
	h, err := in.New(hosts.Config{BaseURL: base, Key: hostKey, MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return uikit.TargetConn{Name: in.Name, Title: in.Title, Host: h, Endpoint: base, Local: local, Caps: h.Capabilities(), KeyHelp: in.KeyHelp,
		Scope: store.Scope{Target: in.Name, Endpoint: base, KeyFP: store.Fingerprint(hostKey)}}
}

// target is the TargetConn named name.
func (he *hostsEnv) target(t *testing.T, name string) uikit.TargetConn {
	t.Helper()
	for _, tc := range he.targets {
		if tc.Name == name {
			return tc
		}
	}
	t.Fatalf("no target %s", name)
	return uikit.TargetConn{}
}

// menuKeyOf is the switcher's key for a target (targets are listed in
// Deps order).
func (he *hostsEnv) menuKeyOf(t *testing.T, name string) string {
	t.Helper()
	for i, tc := range he.targets {
		if tc.Name == name {
			return uikit.MenuKey(i)
		}
	}
	t.Fatalf("no target %s", name)
	return ""
}

func (he *hostsEnv) deps(dir string) Deps {
	d := he.testEnv.deps(dir)
	d.Endpoint = he.srv.URL
	d.Targets = he.targets
	return d
}

// pngBytes is a small valid PNG.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func putFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
