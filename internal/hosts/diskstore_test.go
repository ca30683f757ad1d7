package hosts

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func openTest(t *testing.T, dir string, q *Quota) (*Store, *bytes.Buffer) {
	t.Helper()
	var logged bytes.Buffer
	return OpenStore(EmulatorSetup{Dir: dir, Quota: q, Log: slog.New(slog.NewTextHandler(&logged, nil))}), &logged
}

func put(t *testing.T, s *Store, id, text string) {
	t.Helper()
	p, err := s.Receive(strings.NewReader(text), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Keep(id); err != nil {
		t.Fatal(err)
	}
}

// Receive counts bytes as they arrive: past the per-file limit or the
// quota it stops, removes the partial file and gives the bytes back.
func TestReceiveRefusesPastLimitAndQuota(t *testing.T) {
	q := NewQuota(10)
	s, _ := openTest(t, t.TempDir(), q)
	if _, err := s.Receive(strings.NewReader("123456"), 5); !errors.Is(err, ErrStoreTooLarge) {
		t.Fatalf("over the file limit: %v", err)
	}
	put(t, s, "a", "1234567")
	if _, err := s.Receive(strings.NewReader("12345"), 0); !errors.Is(err, ErrStoreQuota) {
		t.Fatalf("over the quota: %v", err)
	}
	if q.Used() != 7 {
		t.Fatalf("quota counts %d, want 7 (refused uploads given back)", q.Used())
	}
	tmp, _ := os.ReadDir(filepath.Join(s.dir, "tmp"))
	if len(tmp) != 0 {
		t.Fatalf("partial uploads left behind: %d", len(tmp))
	}
	s.Remove("a", 7)
	if q.Used() != 0 {
		t.Fatalf("after Remove the quota counts %d", q.Used())
	}
}

// With a clean state, files it does not name (a crash between the rename
// and the state write) are deleted and ids without a file are dropped.
func TestReconcileAfterACleanLoad(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, nil)
	put(t, s, "kept", "abc")
	put(t, s, "orphan", "xyz")
	if err := s.Save(map[string]int{"kept": 1}); err != nil {
		t.Fatal(err)
	}
	q := NewQuota(0)
	s2, logged := openTest(t, dir, q)
	var v map[string]int
	if err := s2.Load(&v); err != nil {
		t.Fatal(err)
	}
	sizes, recovered := s2.Reconcile(map[string]bool{"kept": true, "lost": true})
	if sizes["kept"] != 3 || len(sizes) != 1 || len(recovered) != 0 || q.Used() != 3 {
		t.Fatalf("sizes %v recovered %v used %d", sizes, recovered, q.Used())
	}
	if _, err := os.Stat(filepath.Join(dir, "files", "orphan")); !os.IsNotExist(err) {
		t.Fatal("an unacknowledged orphan was kept")
	}
	if !strings.Contains(logged.String(), "lost a stored file") {
		t.Fatalf("a missing file was not logged: %q", logged.String())
	}
}

// A corrupt or missing state never costs the stored bytes: it is logged,
// a corrupt one is set aside, and the files come back as recovered.
func TestReconcileAfterABadStateKeepsFiles(t *testing.T) {
	for _, tc := range []struct{ name, state string }{{"corrupt", "{oops"}, {"missing", ""}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, _ := openTest(t, dir, nil)
			put(t, s, "one", "abcd")
			if tc.state != "" {
				if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(tc.state), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			s2, logged := openTest(t, dir, nil)
			var v map[string]int
			if err := s2.Load(&v); err == nil {
				t.Fatal("Load reported no problem")
			}
			sizes, recovered := s2.Reconcile(map[string]bool{})
			if len(sizes) != 0 || recovered["one"] != 4 {
				t.Fatalf("sizes %v recovered %v", sizes, recovered)
			}
			if _, err := os.Stat(filepath.Join(dir, "files", "one")); err != nil {
				t.Fatalf("the stored bytes are gone: %v", err)
			}
			if !strings.Contains(logged.String(), "level=ERROR") || !strings.Contains(logged.String(), "stored files kept") {
				t.Fatalf("not logged: %q", logged.String())
			}
			aside, _ := filepath.Glob(filepath.Join(dir, "state.json.corrupt-*"))
			if (tc.state != "") != (len(aside) == 1) {
				t.Fatalf("state set aside: %v", aside)
			}
		})
	}
}

// Keys never reach a state file in the clear.
func TestOwnerIsNotTheKey(t *testing.T) {
	if o := Owner("s3cret"); strings.Contains(o, "s3cret") || len(o) != 64 || o != Owner("s3cret") || o == Owner("other") {
		t.Fatalf("Owner = %q", o)
	}
}
