package transfer_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
	"github.com/fsdeck/fsdeck/store"
)

// memJournal keeps sessions in memory: the journal's cost taken away.
type memJournal struct {
	mu   sync.Mutex
	next int64
}

func (m *memJournal) StartJob(context.Context, string, int64) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next++
	return m.next, nil
}
func (m *memJournal) SaveSession(context.Context, int64, string) error { return nil }
func (m *memJournal) FinishJob(context.Context, int64) error           { return nil }
func (m *memJournal) Jobs(context.Context) ([]transfer.JournalJob, error) {
	return nil, nil
}

// BenchmarkJournalEveryAck: what journaling each acknowledged part
// before its worker sends another costs. A 128 MiB upload (26 parts of
// 5 MiB, 8 at a time) through the engine to the emulator on loopback,
// with the ledger's journal (SQLite, WAL: each save a commit, durable
// across kill -9 without an fsync) against one in memory, alternating in
// one process. Each pair's ratio is the in-memory time ÷ the ledger's
// (1 means free); it logs every pair and reports the median. Run with
// -benchtime 10x.
func BenchmarkJournalEveryAck(b *testing.B) {
	eo := emulator.Options{DataDir: b.TempDir(), APIKeys: []string{testKey}, AppSecret: testSecret, MinPartSize: filestack.MinPartSize}
	emu, err := emulator.New(eo)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	c, err := filestack.New(filestack.Config{APIKey: testKey, APIBase: srv.URL + "/api", UploadBase: srv.URL,
		CDNBase: srv.URL, PartSize: partSize})
	if err != nil {
		b.Fatal(err)
	}
	l, err := store.Open(filepath.Join(b.TempDir(), "ledger.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close(); c.Close(); srv.Close(); emu.Close() })
	p := filepath.Join(b.TempDir(), "big.bin")
	if err := os.WriteFile(p, make([]byte, 128<<20), 0o600); err != nil {
		b.Fatal(err)
	}
	ts := bookkeeping.For(l, testScope)
	run := func(j transfer.Journal) float64 {
		eng := transfer.New(context.Background(), transfer.Options{PartConcurrency: 8,
			Target: transfer.Target{Service: fsTarget(c), Journal: j, Ledger: ts}})
		defer eng.Shutdown(10 * time.Second)
		t0 := time.Now()
		if _, err := eng.AddUploads("one", transfer.Expand([]string{p}, "", "")); err != nil {
			b.Fatal(err)
		}
		for {
			s := eng.Summary()
			if s.Total.Running == 0 && s.Total.Queued == 0 && s.Total.Files > 0 {
				if s.Total.Failed > 0 {
					b.Fatalf("upload failed: %+v", s.Total)
				}
				break
			}
			select {
			case <-eng.Wake():
			case <-time.After(20 * time.Millisecond):
			}
		}
		return time.Since(t0).Seconds()
	}
	var ratios []float64
	for i := 0; b.Loop(); i++ {
		var onDisk, inMem float64
		if i%2 == 0 {
			onDisk, inMem = run(ts), run(&memJournal{})
		} else {
			inMem, onDisk = run(&memJournal{}), run(ts)
		}
		ratios = append(ratios, inMem/onDisk)
		b.Logf("pair %d: ledger journal %.3f s, in memory %.3f s, ratio %.3f", i+1, onDisk, inMem, ratios[i])
	}
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "median-ratio")
}
