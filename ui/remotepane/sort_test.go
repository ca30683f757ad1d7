package remotepane

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
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
