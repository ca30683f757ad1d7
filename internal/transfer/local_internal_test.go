package transfer

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A move deletes its source only when the copy reads back the same size
// and SHA-256.
func TestVerifyCopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("content"), 0o600)
	sum := sha256.Sum256([]byte("content"))
	if err := verifyCopy(context.Background(), path, 7, sum[:]); err != nil {
		t.Fatal(err)
	}
	other := sha256.Sum256([]byte("CONTENT"))
	if err := verifyCopy(context.Background(), path, 7, other[:]); err == nil || !strings.Contains(err.Error(), "the source was kept") {
		t.Fatalf("a different copy passed: %v", err)
	}
	if err := verifyCopy(context.Background(), path, 8, sum[:]); err == nil {
		t.Fatal("a shorter copy passed")
	}
}

// A source that became a link after the expansion is not followed.
func TestOpenRegularRefusesLink(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "target"), []byte("x"), 0o600)
	os.Symlink("target", filepath.Join(dir, "link"))
	if f, err := openRegular(filepath.Join(dir, "link")); err == nil {
		f.Close()
		t.Fatal("a link was opened")
	}
}
