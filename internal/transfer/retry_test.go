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

// TestRetryShowsAttemptLimitAndWait: while a part PUT the server answers
// 503 is retried, the snapshot says which attempt failed, the client's
// limit of attempts and when it tries again (within the policy's longest
// wait); the upload then completes.
func TestRetryShowsAttemptLimitAndWait(t *testing.T) {
	e := newEnv(t, "put:nth=1,count=3,status=503")
	const maxWait = 400 * time.Millisecond
	c, err := filestack.New(filestack.Config{APIKey: testKey, APIBase: e.srv.URL + "/api", UploadBase: e.srv.URL, CDNBase: e.srv.URL,
		PartSize: partSize, SimpleMax: 1 << 20, Retry: filestack.RetryPolicy{Attempts: 6, Base: maxWait, Max: maxWait}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	dir := t.TempDir()
	big, _ := writeFile(t, dir, "big.bin", 2*partSize)
	tg := e.target()
	tg.Service = fsTarget(c)
	eng := e.engine(transfer.Options{Target: tg, PartConcurrency: 1})
	if _, err := eng.AddUploads("up", transfer.Expand([]string{big}, dir, "")); err != nil {
		t.Fatal(err)
	}
	attempts := map[int]bool{}
	counting := false // some snapshot had the next try still ahead
	s := waitFor(t, eng, "the upload", allFinished, func(s transfer.Snapshot) {
		now := time.Now()
		for _, j := range s.Jobs {
			if !j.Retrying {
				if j.Attempts != 0 || !j.NextTry.IsZero() {
					t.Fatalf("not retrying, yet attempts %d, next try %v", j.Attempts, j.NextTry)
				}
				continue
			}
			if j.Attempts != 6 || j.NextTry.IsZero() || j.NextTry.Sub(now) > maxWait {
				t.Fatalf("retrying attempt %d: limit %d (want the policy's 6), next try in %v (want at most %v)",
					j.Attempt, j.Attempts, j.NextTry.Sub(now), maxWait)
			}
			attempts[j.Attempt] = true
			counting = counting || j.NextTry.After(now)
		}
	})
	if j := s.Jobs[0]; j.State != transfer.Done || j.Retries != 3 {
		t.Fatalf("job %v after %d retries, want done after 3", j.State, j.Retries)
	}
	if !attempts[1] || !counting {
		t.Fatalf("attempts seen retrying %v, a wait ahead seen %v", attempts, counting)
	}
}
