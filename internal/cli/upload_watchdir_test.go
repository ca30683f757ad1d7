package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// upload --watch DIR: files written slowly into DIR are uploaded only
// once complete (none while still growing) and each exactly once, their
// result lines printed as they land; a file already there is left alone,
// a temporary name (.part) is not sent; DIR removed and made again is
// still watched; Ctrl-C stops it with status 130.
func TestUploadWatchDir(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	dir := filepath.Join(c.dir, "shots")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "old.txt"), []byte("there before"), 0o644)
	cmd := c.command("", "upload", "--watch", "shots", "--settle", "600ms", "--json", "--copy")
	var out, errb lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Start()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if ok() {
				return
			}
		}
		t.Fatalf("%s: stdout %q, stderr %q", what, out.String(), errb.String())
	}
	waitFor("the watch to start", func() bool { return strings.Contains(errb.String(), "fsdeck: watching ") })
	results := func() []result { return clitest.JSONLines[result](t, out.String(), clitest.ResultFields...) }
	// Written in 8 pieces, 200 ms apart: longer than --settle in all,
	// never still for as long.
	slow := func(name string, piece []byte) []byte {
		t.Helper()
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var all []byte
		for i := 0; i < 8; i++ {
			fh.Write(piece)
			all = append(all, piece...)
			time.Sleep(200 * time.Millisecond)
			for _, r := range results() {
				if filepath.Base(r.Path) == name {
					t.Errorf("%s was sent after %d of 8 pieces: %+v", name, i+1, r)
				}
			}
		}
		fh.Close()
		return all
	}
	a := slow("a.txt", []byte("first file, written slowly\n"))
	os.WriteFile(filepath.Join(dir, "b.png.part"), []byte("a download not finished"), 0o644)
	waitFor("a.txt to be uploaded", func() bool { return len(results()) == 1 })
	b := slow("b.txt", bytes.Repeat([]byte("second "), 100))
	waitFor("b.txt to be uploaded", func() bool { return len(results()) == 2 })
	// The directory goes away and comes back, with a file in it.
	os.RemoveAll(dir)
	waitFor("the watch to see the directory gone", func() bool { return strings.Contains(errb.String(), "waiting for it to be made again") })
	os.MkdirAll(dir, 0o755)
	cc := slow("c.txt", []byte("after the directory came back\n"))
	waitFor("c.txt to be uploaded", func() bool { return len(results()) == 3 })
	time.Sleep(1500 * time.Millisecond) // nothing more is sent
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	rs := results()
	want := map[string][]byte{"a.txt": a, "b.txt": b, "c.txt": cc}
	if code := cmd.ProcessState.ExitCode(); code != 130 || len(rs) != 3 {
		t.Fatalf("exit %d, %d results (want 3): stdout %q, stderr %q", code, len(rs), out.String(), errb.String())
	}
	for _, r := range rs {
		data, ok := want[filepath.Base(r.Path)]
		delete(want, filepath.Base(r.Path))
		if !ok || r.Status != statusStored || r.Size != int64(len(data)) || r.SHA256 != sha256Hex(data) {
			t.Errorf("result %+v: want a file written, whole (%d bytes), once", r, len(data))
			continue
		}
		got, errOut, code := c.run("", "get", "--stdout", r.Handle)
		if code != 0 || got != string(data) {
			t.Errorf("%s on the server: exit %d %q: %q, want %q", r.Path, code, errOut, got, data)
		}
	}
	// --copy says where the newest URL went, or that nothing took it.
	if !strings.Contains(errb.String(), "fsdeck: clipboard: ") || !strings.Contains(errb.String(), "stopped watching") {
		t.Errorf("stderr: %q", errb.String())
	}
}

// --watch takes no PATH, needs a directory that exists, and --copy goes
// with it only: usage errors, status 2, before anything starts.
func TestUploadWatchUsage(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	c.file("f.txt", []byte("x"))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"upload", "--watch", ".", "f.txt"}, "takes no PATH"},
		{[]string{"upload", "--watch", "nowhere"}, "does not exist"},
		{[]string{"upload", "--watch", "f.txt"}, "is not a directory"},
		{[]string{"upload", "--watch", ".", "--settle", "soon"}, "--settle"},
		{[]string{"upload", "--copy", "f.txt"}, "--copy goes with --watch"},
	} {
		out, errOut, code := c.run("", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
}
