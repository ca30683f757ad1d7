package filestack

import (
	"path/filepath"
	"strings"
	"testing"
)

// A file-system failure is described once, without Go's "open /path:"
// repeated after the operation.
func TestFSErrorDescribedOnce(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone.txt")
	_, _, err := openRegular(missing)
	if err == nil {
		t.Fatal("opened a missing file")
	}
	if got := err.Error(); got != "open: the file no longer exists" || strings.Contains(got, missing) {
		t.Fatalf("error %q", got)
	}
}
