package uikit

import (
	"testing"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts"
	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"
	"github.com/fsdeck/fsdeck/store"
)

// The root target is one TargetConn among the others: its entry in the
// session's list is replaced by the connected one (or it comes first),
// its Host is the target over the connection's client with every power,
// and a new connection replaces it (local mode ends).
func TestTargetsRoot(t *testing.T) {
	c, err := filestack.New(filestack.Config{APIKey: "k", AppSecret: "s", APIBase: "http://127.0.0.1:9/api",
		UploadBase: "http://127.0.0.1:9", CDNBase: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	base := TargetConn{Name: fstarget.Name, Title: "Filestack", KeyHelp: "help"}
	local := ConnTarget(base, Connection{Remote: c, Scope: store.Scope{Endpoint: "local"}, Endpoint: "http://127.0.0.1:9"}, ModeLocal, fstarget.Options{})
	other := TargetConn{Name: "imgbb", Title: "ImgBB"}

	for _, list := range [][]TargetConn{nil, {other}, {other, {Name: fstarget.Name, Title: "Filestack"}}} {
		ts := NewTargets(list, "imgbb", local, ModeLocal)
		root := ts.Root()
		if !root.Root || root.Name != fstarget.Name || !root.Local || root.Scope.Endpoint != "local" || root.KeyHelp != "help" {
			t.Fatalf("list %v: root %+v", list, root)
		}
		if ts.Len() != len(list)+1 && ts.Len() != len(list) {
			t.Fatalf("list %v: %d targets", list, ts.Len())
		}
		if !ts.IsRoot("") || !ts.IsRoot(fstarget.Name) || ts.IsRoot("imgbb") {
			t.Fatal("IsRoot")
		}
		if tc, ok := ts.Named(""); !ok || tc.Name != fstarget.Name {
			t.Fatalf(`Named("") is %+v`, tc)
		}
		if len(list) > 0 && ts.Current().Name != "imgbb" {
			t.Fatalf("started on %s", ts.Current().Name)
		}
	}
	root := NewTargets(nil, "", local, ModeLocal).Root()
	for what, has := range map[string]bool{"Deleter": is[hosts.Deleter](root.Host), "Transformer": is[hosts.Transformer](root.Host),
		"Importer": is[hosts.Importer](root.Host), "URLStorer": is[hosts.URLStorer](root.Host), "Signer": is[hosts.Signer](root.Host),
		"URLDeriver": is[hosts.URLDeriver](root.Host), "MetadataReader": is[MetadataReader](root.Host)} {
		if !has {
			t.Errorf("the root target is no %s", what)
		}
	}
	if !root.Caps.DerivedURL || !root.Caps.Import || !root.Caps.Transform || !CanImport(root) || !CanStoreURL(root) {
		t.Fatalf("root caps %+v", root.Caps)
	}
	if sh := root.Host.(SecretHolder); !sh.HasSecret() {
		t.Fatal("the client's app secret is not seen")
	}
	if got := root.Host.(hosts.URLDeriver).URLOf("HANDLE"); got != "http://127.0.0.1:9/HANDLE" {
		t.Fatalf("URLOf: %s", got)
	}

	ts := NewTargets([]TargetConn{other}, "", local, ModeLocal)
	cloud := ConnTarget(base, Connection{Remote: c, Scope: store.Scope{Endpoint: "cloud"}, Endpoint: "Filestack (key x)"}, ModeCloud, fstarget.Options{})
	ts2 := ts.Connected(cloud)
	if r := ts2.Root(); !r.Root || r.Local || r.Scope.Endpoint != "cloud" || ts2.Mode() != ModeCloud {
		t.Fatalf("after Connected: %+v, mode %v", r, ts2.Mode())
	}
	if ts.Root().Scope.Endpoint != "local" || ts.Mode() != ModeLocal {
		t.Fatal("Connected changed the Targets it was called on")
	}
	// Without a secret, the root says so (delete and signed URLs wait
	// for it); a zero Targets has no root.
	nc, _ := filestack.New(filestack.Config{APIKey: "k", APIBase: "http://127.0.0.1:9/api", UploadBase: "http://127.0.0.1:9", CDNBase: "http://127.0.0.1:9"})
	defer nc.Close()
	if ConnTarget(base, Connection{Remote: nc}, ModeCloud, fstarget.Options{}).Host.(SecretHolder).HasSecret() {
		t.Fatal("HasSecret without an app secret")
	}
	if ConnTarget(base, Connection{}, ModeCloud, fstarget.Options{}).Host.(SecretHolder).HasSecret() {
		t.Fatal("HasSecret without a client")
	}
	if (Targets{}).Root().Name != "" || !(Targets{}).IsRoot("") {
		t.Fatal("zero Targets")
	}
}

// is reports whether v implements T.
func is[T any](v any) bool {
	_, ok := v.(T)
	return ok
}
