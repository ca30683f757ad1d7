package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/store"
)

// The studio's s names the stored result after its chain, on the server
// and in the ledger: "pic (resize 300).png", not "pic.png" again.
func TestStudioStoreNamesResultAfterChain(t *testing.T) {
	m, e, _, _ := studioEnv(t)
	m = press(t, m, keyRunes("a"), keyRunes("r")) // resize=width:300
	m = press(t, m, keyRunes("s"))
	entries, _ := e.ledger.List(context.Background(), e.scope)
	if len(entries) != 2 || entries[0].Source != store.SourceTransform {
		t.Fatalf("stored result not in the ledger (status %q): %+v", statusText(m), entries)
	}
	const want = "pic (resize 300).png"
	if entries[0].Filename != want {
		t.Fatalf("ledger name %q, want %q", entries[0].Filename, want)
	}
	md, err := e.client.Metadata(context.Background(), entries[0].Handle)
	if err != nil || md.Filename != want {
		t.Fatalf("server name %+v (%v), want %q", md, err, want)
	}
	if !strings.Contains(statusText(m), want) {
		t.Fatalf("status %q does not name the file", statusText(m))
	}
}
