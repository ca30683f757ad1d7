package cli

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// The interface's view of a hosting target carries its client, its
// capabilities and where to get a key (the scopes: session's
// TestTargetScopes).
func TestTargetConnOfAHostingTarget(t *testing.T) {
	reg := builtin.Registry()
	in, _ := reg.Info("ddownload")
	svc, err := reg.New("ddownload", hosts.Config{BaseURL: "http://127.0.0.1:9/ddownload/api", Key: "lk"})
	if err != nil {
		t.Fatal(err)
	}
	tc := targetConn(&sess.Target{Info: in, Service: svc, Scope: store.Scope{Target: "ddownload"}, Local: true})
	if tc.Name != "ddownload" || tc.Title == "" || tc.Host == nil || !tc.Caps.List || tc.KeyHelp == "" {
		t.Fatalf("TargetConn: %+v", tc)
	}
}

// The interface starts on --to, else the remembered target, else
// Filestack; saving the view keeps the remembered target.
func TestStartTargetRemembered(t *testing.T) {
	view := filepath.Join(t.TempDir(), "view.json")
	targets := []ui.TargetConn{{Name: "filestack"}, {Name: "imgbb"}, {Name: "gyazo"}}
	if got := startTarget("", view, targets); got != "filestack" {
		t.Fatalf("no view: %q", got)
	}
	if err := saveTarget(view, "gyazo"); err != nil {
		t.Fatal(err)
	}
	if err := saveView(view, store.ViewState{ShowHidden: true, Sort: "size"}); err != nil {
		t.Fatal(err)
	}
	if got := startTarget("", view, targets); got != "gyazo" {
		t.Fatalf("remembered: %q", got)
	}
	if got := startTarget("imgbb", view, targets); got != "imgbb" {
		t.Fatalf("--to: %q", got)
	}
	if v, _, _ := store.LoadViewState(view); !v.ShowHidden || v.Sort != "size" {
		t.Fatalf("saving the target lost the view: %+v", v)
	}
	if err := saveTarget(view, "gone-service"); err != nil {
		t.Fatal(err)
	}
	if got := startTarget("", view, targets); got != "filestack" {
		t.Fatalf("unregistered: %q", got)
	}
}

func TestExpiryFlag(t *testing.T) {
	for in, want := range map[string]time.Duration{"10m": 10 * time.Minute, "2d": 48 * time.Hour, "1w": 7 * 24 * time.Hour, "90s": 90 * time.Second} {
		if d, err := parseExpiry(in); err != nil || d != want {
			t.Errorf("%s: %v %v", in, d, err)
		}
	}
	for _, bad := range []string{"", "0d", "-1h", "xd", "soon"} {
		if _, err := parseExpiry(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	caps := hosts.Capabilities{Expiry: hosts.ExpiryRule{Min: time.Minute, Max: 180 * 24 * time.Hour}}
	if o, err := hostOptions("imgbb", caps, "1d", ""); err != nil || o.Expiry != 24*time.Hour {
		t.Errorf("1d: %+v %v", o, err)
	}
}

// Service failures are worded by hosts.Describe (targetError); a rejected key exits 3.
func TestHostErrorWording(t *testing.T) {
	q := targetError(&hosts.Error{Target: "pastebin", Kind: hosts.KindQuota, Msg: "Post limit, maximum pastes per 24h reached",
		Hint: "daily paste limit reached (free accounts: 10 per 24 h)"})
	if q.Error() != "pastebin: daily paste limit reached (free accounts: 10 per 24 h) (Post limit, maximum pastes per 24h reached); try again later" {
		t.Errorf("quota: %q", q)
	}
	if exitCode(q, io.Discard) != exitFailed {
		t.Errorf("quota exit %d", exitCode(q, io.Discard))
	}
	a := targetError(&hosts.Error{Target: "gyazo", Kind: hosts.KindAuth, Status: 401, Msg: "You are not authorized."})
	if exitCode(a, io.Discard) != exitAuth || !strings.Contains(a.Error(), "fsdeck key status --target gyazo") {
		t.Errorf("auth: %q exit %d", a, exitCode(a, io.Discard))
	}
}
