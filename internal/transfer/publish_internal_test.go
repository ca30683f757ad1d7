package transfer

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

// TestPublishNeverReplaces: many finished downloads of the same name
// published at once into one directory, next to a file that was already
// there, each end under their own name with their own bytes; the
// pre-existing file keeps its content and no partial file is left.
func TestPublishNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "x.txt")
	if err := os.WriteFile(dest, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	const n = 16
	parts := make([]string, n)
	for i := range parts {
		f, err := CreatePartial(dir)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(f, "download %d", i)
		f.Close()
		parts[i] = f.Name()
	}
	got := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			p, err := publish(parts[i], dest)
			if err != nil {
				t.Error(err)
			}
			got[i] = p
		}()
	}
	close(start)
	wg.Wait()
	if b, _ := os.ReadFile(dest); string(b) != "mine" {
		t.Fatalf("the pre-existing file was replaced: %q", b)
	}
	seen := map[string]bool{}
	for i, p := range got {
		if p == dest || seen[p] {
			t.Fatalf("download %d published as %q, already taken", i, p)
		}
		seen[p] = true
		if b, err := os.ReadFile(p); err != nil || string(b) != fmt.Sprintf("download %d", i) {
			t.Fatalf("%s holds %q (%v), want download %d", p, b, err, i)
		}
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	sort.Strings(names)
	if len(names) != n+1 {
		t.Fatalf("directory holds %d files, want %d: %q", len(names), n+1, names)
	}
}
