package remotepane

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// By name is natural (file_2 before file_10); plain keeps the order
// digits had as text.
func TestRemoteNaturalSort(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	for i, n := range []string{"file_10.txt", "file_2.txt", "File_1.txt"} {
		err := e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: handleN(i), Filename: n, Size: 1,
			Mimetype: "text/plain", Uploaded: fixedNow, Added: fixedNow.Add(-time.Duration(i) * time.Hour), Source: store.SourceUpload})
		if err != nil {
			t.Fatal(err)
		}
	}
	p := e.pane(e.ledger)
	p.SetSize(80, 20)
	p.Update(p.Reload()())
	names := func() string {
		var out []string
		for _, en := range p.Entries() {
			out = append(out, en.Filename)
		}
		return strings.Join(out, ",")
	}
	p.SetSort(rsortName, false)
	if got := names(); got != "File_1.txt,file_2.txt,file_10.txt" {
		t.Fatalf("by name: %s", got)
	}
	p.SetSort(rsortPlain, false)
	if got := names(); got != "File_1.txt,file_10.txt,file_2.txt" {
		t.Fatalf("plain: %s", got)
	}
	if v := p.sortMenu().View(); !strings.Contains(v, "by name (file_2 before file_10)") || !strings.Contains(v, "digits as text") {
		t.Fatalf("sort menu:\n%s", v)
	}
}

// X (forget) names the handle in its message: it is the only way back.
func TestForgetNamesTheHandle(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 2)
	es, _ := e.ledger.List(context.Background(), e.scope)
	msg := forget(e.ledger, e.scope, es[:1], "Filestack")().(uikit.LedgerChangedMsg)
	if want := "forgot " + es[0].Filename + ", handle " + es[0].Handle + " (still on Filestack)"; msg.Text != want {
		t.Fatalf("message %q, want %q", msg.Text, want)
	}
	msg = forget(e.ledger, e.scope, es[1:], "Filestack")().(uikit.LedgerChangedMsg)
	if !strings.Contains(msg.Text, es[1].Handle) {
		t.Fatalf("message %q lacks the handle", msg.Text)
	}
}
