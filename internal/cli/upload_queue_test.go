package cli

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// boundQueue makes the queue's window n for the test and returns the
// most jobs an engine held at once after a batch was queued.
func boundQueue(t *testing.T, n int) func() int {
	t.Helper()
	var mu sync.Mutex
	most, calls := 0, 0
	oldWindow, oldHook := queueWindow, queueHook
	queueWindow = n
	queueHook = func(e *transfer.Engine) {
		jobs := len(e.Snapshot().Jobs)
		mu.Lock()
		defer mu.Unlock()
		calls++
		most = max(most, jobs)
	}
	t.Cleanup(func() { queueWindow, queueHook = oldWindow, oldHook })
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		if calls == 0 {
			t.Fatal("no batch was queued")
		}
		return most
	}
}

// upload -r of 500 files with a window of 16 never has more than 16 jobs
// in the engine (it queued all 500 at once, and kept every file's plan
// until the end); every file still goes, and --ordered prints them in
// walk order. sync feeds its uploads the same way.
func TestUploadAndSyncQueueInBoundedBatches(t *testing.T) {
	c := newCLI(t)
	var want []string
	for i := range 500 {
		want = append(want, c.file(fmt.Sprintf("tree/d%d/f%03d.txt", i/100, i), []byte(fmt.Sprintf("file %d\n", i))))
	}
	slices.Sort(want)
	most := boundQueue(t, 16)
	out, errOut, code := c.run("", "upload", "-r", "--json", "--ordered", "tree")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 500 {
		t.Fatalf("upload -r: exit %d, %d results, stderr %q", code, len(rs), errOut)
	}
	var got []string
	for _, r := range rs {
		if r.Status != statusStored || r.Handle == "" {
			t.Errorf("%s: %s %q", r.Path, r.Status, r.Error)
		}
		got = append(got, r.Path)
	}
	if !slices.Equal(got, want) {
		t.Errorf("--ordered: results not in walk order: first %v", got[:5])
	}
	if n := most(); n > 16 {
		t.Errorf("upload -r: %d jobs in the engine at once, want at most the window of 16", n)
	}

	most = boundQueue(t, 16)
	c.file("site/keep.txt", []byte("kept"))
	for i := range 200 {
		c.file(fmt.Sprintf("site/p%03d.txt", i), []byte(fmt.Sprintf("page %d\n", i)))
	}
	out, errOut, code = c.run("", "sync", "site")
	if code != 0 || !strings.Contains(out, "sync: 201 sent (201 new, 0 changed), 0 unchanged, 0 deleted") {
		t.Fatalf("sync: exit %d, %q %q", code, out, errOut)
	}
	if n := most(); n > 16 {
		t.Errorf("sync: %d jobs in the engine at once, want at most the window of 16", n)
	}
	if out, _, code = c.run("", "sync", "site"); code != 0 || !strings.Contains(out, "0 sent (0 new, 0 changed), 201 unchanged") {
		t.Errorf("second sync: exit %d, %q (the state must hold every file sent)", code, out)
	}
}

// A table longer than tableBlock rows is written as results come, in
// blocks lined up on their own under one header (it was held whole until
// the end: memory grew with every file); a short one is held and lined
// up as before.
func TestTableStreamsInBlocks(t *testing.T) {
	var out, errb strings.Builder
	p := newPrinter(outFlags{}, iostreams.New(strings.NewReader(""), &out, &errb), nil)
	for i := range tableBlock + 1 {
		p.add(result{Handle: fmt.Sprintf("h%d", i), Path: fmt.Sprintf("f%d.txt", i), Status: statusStored, Size: 1})
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != tableBlock+1 || !strings.HasPrefix(lines[0], "STATUS") {
		t.Fatalf("after %d rows, stdout has %d lines (want the header and %d rows written)", tableBlock+1, len(lines), tableBlock)
	}
	if err := p.flush(); err != nil {
		t.Fatal(err)
	}
	all := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(all) != tableBlock+2 || strings.Count(out.String(), "STATUS") != 1 || !strings.Contains(all[len(all)-1], fmt.Sprintf("f%d.txt", tableBlock)) {
		t.Errorf("after flush: %d lines, %d headers; want %d lines under one header", len(all), strings.Count(out.String(), "STATUS"), tableBlock+2)
	}
}

// While the walk goes on, the progress line says how many files are done
// and that the total is still being counted, not a total that grows.
func TestProgressCountingWhileWalking(t *testing.T) {
	snap := transfer.Snapshot{Groups: []transfer.GroupSnapshot{{ID: 1, Totals: transfer.Totals{Files: 300, Done: 1234}}}}
	lines := progressLinesCounting(snap, map[transfer.GroupID]bool{1: true}, 0)
	if last := lines[len(lines)-1]; !strings.Contains(last, "files 1,234/… done (counting)") {
		t.Errorf("progress line %q, want files 1,234/… done (counting)", last)
	}
}
