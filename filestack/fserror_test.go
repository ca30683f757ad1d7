package filestack

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/text"
)

// A file-system failure is described once, in the wording the client is
// given, without Go's "open /path:" repeated after the operation.
func TestFSErrorDescribedOnce(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone.txt")
	c, err := New(Config{APIKey: "KEYxxxxxxxxxxxxxxxxxxx", Describe: text.Describe})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, _, err = c.openRegular(missing)
	if err == nil {
		t.Fatal("opened a missing file")
	}
	if got := err.Error(); got != "open: no longer exists" || strings.Contains(got, missing) {
		t.Fatalf("error %q", got)
	}
}
