package transfer_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// refusingClient is a client of an address that refuses connections (a
// server that went away), with a short retry bound.
func refusingClient(t *testing.T) *filestack.Client {
	t.Helper()
	srv := httptest.NewServer(nil)
	url := srv.URL
	srv.Close()
	c, err := filestack.New(filestack.Config{APIKey: testKey, APIBase: url + "/api", UploadBase: url, CDNBase: url,
		PartSize: partSize, SimpleMax: 1 << 20,
		Retry: filestack.RetryPolicy{Attempts: 4, Base: 150 * time.Millisecond, Max: 300 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestConnectionLossIsVisible: with the server gone, an upload (simple
// store and multipart) and a download show, while the client retries,
// that they are retrying, the attempt and the last error; then they fail
// with a message that says how many attempts were made over how long.
func TestConnectionLossIsVisible(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	small, _ := writeFile(t, dir, "small.bin", 1000)
	big, _ := writeFile(t, dir, "big.bin", 2*partSize)
	tg := e.target()
	tg.Service = fsTarget(refusingClient(t))
	eng := e.engine(transfer.Options{Target: tg})
	if _, err := eng.AddUploads("up", transfer.Expand([]string{small, big}, dir, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.AddDownloads("down", t.TempDir(), []transfer.RemoteFile{{Handle: "AAAAAAAAAAAAAAAAAAAA", Filename: "x"}}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{} // highest attempt seen while retrying, per job
	s := waitFor(t, eng, "failures", allFinished, func(s transfer.Snapshot) {
		for _, j := range s.Jobs {
			if j.Retrying {
				if j.Attempt < 1 || !strings.Contains(j.LastRetry, "connection refused") {
					t.Fatalf("%s retrying without attempt or reason: attempt %d, %q", j.Name, j.Attempt, j.LastRetry)
				}
				mu.Lock()
				seen[j.Name] = max(seen[j.Name], j.Attempt)
				mu.Unlock()
			}
		}
	})
	for _, j := range s.Jobs {
		if seen[j.Name] == 0 {
			t.Errorf("%s: no snapshot showed it retrying", j.Name)
		}
		if j.State != transfer.Failed || j.Retrying || j.Attempt != 0 || j.Retries != 3 {
			t.Errorf("%s: state %v retrying %v attempt %d retries %d", j.Name, j.State, j.Retrying, j.Attempt, j.Retries)
		}
		if !strings.Contains(j.Err, "gave up after 4 attempts over") || !strings.Contains(j.Err, "connection refused") {
			t.Errorf("%s: %q does not say that the client gave up and why", j.Name, j.Err)
		}
	}
}

// TestRetryObserverSeesEveryCall: a front end's call (a refresh, say)
// under WithRetryObserver reports each retry with its attempt and reason.
func TestRetryObserverSeesEveryCall(t *testing.T) {
	c := refusingClient(t)
	var got []filestack.Retry
	ctx := filestack.WithRetryObserver(context.Background(), func(r filestack.Retry) { got = append(got, r) })
	_, err := c.Metadata(ctx, "AAAAAAAAAAAAAAAAAAAA")
	if err == nil || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Fatalf("error %v", err)
	}
	if len(got) != 3 || got[0].Attempt != 1 || got[2].Attempt != 3 || !strings.Contains(got[2].Err.Error(), "connection refused") {
		t.Fatalf("observed %+v", got)
	}
}
