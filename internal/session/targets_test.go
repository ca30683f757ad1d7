package session

import (
	"errors"
	"testing"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/store"
)

// A target's ledger scope is (target, endpoint, key fingerprint): the
// real service's base URL with a key, "local" for the emulator (whose
// port may change between runs).
func TestTargetScopes(t *testing.T) {
	reg := builtin.Registry()
	hc, err := RemoteTarget(reg, "gyazo", "tok", nil)
	if err != nil {
		t.Fatal(err)
	}
	in, _ := reg.Info("gyazo")
	if want := (store.Scope{Target: "gyazo", Endpoint: in.DefaultURL, KeyFP: store.Fingerprint("tok")}); hc.Scope != want || hc.Local {
		t.Fatalf("remote: %+v", hc.Scope)
	}
	ls := &LocalServer{base: "http://127.0.0.1:9", creds: LocalCreds{APIKey: "lk"}}
	lc, err := LocalTarget(reg, "ddownload", ls)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.Scope{Target: "ddownload", Endpoint: "local", KeyFP: store.Fingerprint("lk")}); lc.Scope != want || !lc.Local ||
		lc.Endpoint != "http://127.0.0.1:9/ddownload/api" {
		t.Fatalf("local: %+v %q", lc.Scope, lc.Endpoint)
	}
}

// Kind builds every registered target offline, the root one for "", and
// refuses a name no target has as a usage error.
func TestKind(t *testing.T) {
	for _, name := range append([]string{""}, builtin.Registry().Targets()...) {
		k, err := Kind(name)
		if err != nil || k.Service == nil || (name != "" && k.Info.Name != name) || (name == "" && !k.Info.Root) {
			t.Errorf("Kind(%q): %+v %v", name, k, err)
		}
	}
	var ue *UsageError
	if _, err := Kind("nosuch"); !errors.As(err, &ue) {
		t.Errorf("unknown target: %v", err)
	}
}
