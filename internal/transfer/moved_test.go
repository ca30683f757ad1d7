package transfer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
	"github.com/fsdeck/fsdeck/store"
)

// localServer is the emulator on a port of its own over a data directory,
// as local mode runs it, with a client on it.
type localServer struct {
	emu    *emulator.Server
	srv    *httptest.Server
	client *filestack.Client
	count  *counter
}

func startLocal(t *testing.T, dataDir string, faults ...string) *localServer {
	t.Helper()
	eo := emulator.Options{DataDir: dataDir, APIKeys: []string{testKey}, AppSecret: testSecret, MinPartSize: partSize}
	for _, f := range faults {
		fault, err := emulator.ParseFault(f)
		if err != nil {
			t.Fatal(err)
		}
		eo.Faults = append(eo.Faults, fault)
	}
	emu, err := emulator.New(eo)
	if err != nil {
		t.Fatal(err)
	}
	cnt := &counter{perUpload: map[string]int{}, maxPerUpload: map[string]int{}}
	srv := httptest.NewServer(cnt.wrap(emu))
	c, err := filestack.New(filestack.Config{APIKey: testKey, APIBase: srv.URL + "/api", UploadBase: srv.URL,
		CDNBase: srv.URL, PartSize: partSize, SimpleMax: 1 << 20,
		Retry: filestack.RetryPolicy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ls := &localServer{emu: emu, srv: srv, client: c, count: cnt}
	t.Cleanup(ls.stop)
	return ls
}

// stop closes the server: its port then refuses connections.
func (ls *localServer) stop() {
	ls.client.Close()
	ls.srv.Close()
	ls.emu.Close()
}

// TestResumeAfterServerMovedPort: an upload journaled against the local
// server on one port is resumed after that server stopped and a new one
// (same data directory) listens on another port, as local mode does when
// its port is taken. The job restarts cleanly on the new server (new
// session, same file, same store path), says why, and arrives
// byte-exact; the journal is empty afterwards. With a session journaled
// before sessions named their server, the old address refusing
// connections leads to the same clean restart.
func TestResumeAfterServerMovedPort(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		t.Run(map[bool]string{false: "session names its server", true: "older session"}[legacy], func(t *testing.T) {
			data := t.TempDir()
			ledger, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ledger.Close() })
			ts := bookkeeping.For(ledger, testScope)
			p, want := writeFile(t, t.TempDir(), "four.bin", 4*partSize)

			first := startLocal(t, data, holdPart2)
			eng := transfer.New(context.Background(), transfer.Options{Target: transfer.Target{Service: fstarget.New(first.client,
				fstarget.Options{Store: filestack.StoreOptions{Path: "orig/"}}), Journal: ts, Ledger: ts}, PartConcurrency: 1})
			if _, err := eng.AddUploads("one", transfer.Expand([]string{p}, "", "orig/")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, eng, "a part", func(s transfer.Snapshot) bool { return s.Jobs[0].Acked >= partSize })
			if !eng.Shutdown(10 * time.Second) {
				t.Fatal("shutdown did not finish in time")
			}
			first.stop()

			second := startLocal(t, data)
			eng2 := transfer.New(context.Background(), transfer.Options{Target: transfer.Target{Service: fstarget.New(second.client,
				fstarget.Options{Store: filestack.StoreOptions{Path: "elsewhere/"}}), Journal: ts, Ledger: ts}})
			t.Cleanup(func() { eng2.Shutdown(10 * time.Second) })
			jobs, err := eng2.Unfinished(context.Background())
			if err != nil || len(jobs) != 1 || jobs[0].Session == "" {
				t.Fatalf("journal %+v, %v", jobs, err)
			}
			if legacy {
				jobs[0].Session = withoutEndpoint(t, jobs[0].Session)
			}
			if _, err := eng2.ResumeJobs("earlier", jobs); err != nil {
				t.Fatal(err)
			}
			s := waitFor(t, eng2, "resume", allFinished, func(s transfer.Snapshot) {
				if got, server := s.Jobs[0].Acked, second.count.Acked(); got > server && s.Jobs[0].Restarted != "" {
					t.Fatalf("after the restart the snapshot claims %d bytes, the new server acknowledged %d", got, server)
				}
			})
			j := s.Jobs[0]
			reason := map[bool]string{false: "belongs to another server", true: "refuses connections"}[legacy]
			if j.State != transfer.Done || !strings.Contains(j.Restarted, reason) || j.Resumed != 0 || j.Acked != 4*partSize {
				t.Fatalf("job: state %v restarted %q resumed %d acked %d err %q", j.State, j.Restarted, j.Resumed, j.Acked, j.Err)
			}
			var buf bytes.Buffer
			if _, err := second.client.Download(context.Background(), j.Handle, &buf, filestack.DownloadOptions{}); err != nil || !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("uploaded bytes differ (%v)", err)
			}
			en, err := ledger.Get(context.Background(), testScope, j.Handle)
			if err != nil || en.StorePath != "orig/" {
				t.Fatalf("ledger entry %+v, %v: the restart lost the store path", en, err)
			}
			if left, _ := eng2.Unfinished(context.Background()); len(left) != 0 {
				t.Fatalf("journal keeps %+v", left)
			}
		})
	}
}

// withoutEndpoint removes the server from a journaled session, as fsdeck
// journaled them before sessions named it.
func withoutEndpoint(t *testing.T, js string) string {
	t.Helper()
	var s filestack.Session
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatal(err)
	}
	if s.Endpoint == "" {
		t.Fatal("the journaled session does not name its server")
	}
	s.Endpoint = ""
	b, _ := json.Marshal(s)
	return string(b)
}
