package transfer_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
	"github.com/fsdeck/fsdeck/store"
)

// A front end's whole life with the engine: make it, add jobs, follow the
// wake channel with snapshots, shut it down. A TUI does the waiting in a
// command re-armed after each message instead of a loop.
func Example() {
	tmp, _ := os.MkdirTemp("", "fsdeck-example")
	defer os.RemoveAll(tmp)
	emu, _ := emulator.New(emulator.Options{DataDir: filepath.Join(tmp, "server"), APIKeys: []string{testKey}})
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	client, _ := filestack.New(filestack.Config{APIKey: testKey, APIBase: srv.URL + "/api", UploadBase: srv.URL, CDNBase: srv.URL})
	defer client.Close()
	ledger, _ := store.Open(filepath.Join(tmp, "ledger.db"))
	defer ledger.Close()

	// The target: Filestack's client as a service, and the ledger bound
	// to its scope as journal and record of finished uploads.
	ts := bookkeeping.For(ledger, store.Scope{Endpoint: srv.URL, KeyFP: store.Fingerprint(testKey)})
	eng := transfer.New(context.Background(), transfer.Options{
		Target:          transfer.Target{Service: fstarget.New(client, fstarget.Options{}), Journal: ts, Ledger: ts},
		FileConcurrency: 2,
	})
	defer eng.Shutdown(3 * time.Second)

	dir := filepath.Join(tmp, "photos")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("world!"), 0o644)

	// Expand first (a front end may ask before a large upload), then add.
	files := transfer.Expand([]string{dir}, tmp, "")
	if _, err := eng.AddUploads("photos", files); err != nil {
		fmt.Println(err)
		return
	}
	for range eng.Wake() {
		s := eng.Snapshot()
		if s.Total.Running+s.Total.Queued > 0 {
			continue
		}
		for _, j := range s.Jobs {
			fmt.Println(j.Name, j.State, j.Acked, "bytes")
		}
		fmt.Printf("%d of %d files done, %d failed\n", s.Total.Done, s.Total.Files, s.Total.Failed)
		return
	}
	// Output:
	// photos/a.txt done 5 bytes
	// photos/b.txt done 6 bytes
	// 2 of 2 files done, 0 failed
}
