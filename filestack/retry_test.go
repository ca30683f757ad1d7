package filestack

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// puts returns the part PUTs the emulator saw, in order.
func puts(e *env) []emulator.Request {
	var out []emulator.Request
	for _, r := range e.emu.Requests() {
		if r.Endpoint == "put" {
			out = append(out, r)
		}
	}
	return out
}

func countEndpoint(e *env, ep string) int {
	n := 0
	for _, r := range e.emu.Requests() {
		if r.Endpoint == ep {
			n++
		}
	}
	return n
}

// Every retry class ends byte-exact: network drops, 5xx, 408, 429 with
// Filestack-Reset, S3 RequestTimeTooSkewed, on every endpoint of the path.
func TestRetryClasses(t *testing.T) {
	ps := int(MinPartSize)
	cases := []struct {
		name  string
		fault emulator.Fault
		multi bool
	}{
		{"put 500", emulator.Fault{Endpoint: "put", Nth: 2, Status: 500}, true},
		{"put drop", emulator.Fault{Endpoint: "put", Nth: 1, Drop: true}, true},
		{"put skew", emulator.Fault{Endpoint: "put", Nth: 1, Status: 403, Code: "RequestTimeTooSkewed"}, true},
		{"upload 503", emulator.Fault{Endpoint: "upload", Nth: 1, Count: 2, Status: 503}, true},
		{"start 408", emulator.Fault{Endpoint: "start", Nth: 1, Status: 408}, true},
		{"complete 502", emulator.Fault{Endpoint: "complete", Nth: 1, Status: 502}, true},
		{"complete 429", emulator.Fault{Endpoint: "complete", Nth: 1, Status: 429}, true},
		{"store 500", emulator.Fault{Endpoint: "store", Nth: 1, Count: 3, Status: 500}, false},
		{"store drop", emulator.Fault{Endpoint: "store", Nth: 1, Drop: true}, false},
		{"put 30% failures", emulator.Fault{Endpoint: "put", Rate: 0.3, Seed: 7, Status: 500}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, emulator.Options{Faults: []emulator.Fault{tc.fault}}, Config{})
			n := 100_000
			if tc.multi {
				n = 3*ps + 777
			}
			path, data := randomFile(t, n)
			var ev events
			f, err := e.c.Upload(context.Background(), path, UploadOptions{Progress: ev.add, ForceMultipart: tc.multi})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(e.download(f.Handle), data) {
				t.Fatal("bytes differ after retries")
			}
			checkProgress(t, ev.list(), int64(n))
			retries := 0
			for _, x := range ev.list() {
				if x.Kind == EventRetry {
					retries++
					if x.Err == nil {
						t.Fatal("retry event without a reason")
					}
				}
			}
			if retries == 0 {
				t.Fatal("no retry was reported")
			}
		})
	}
}

// Other 4xx are final: one request, no retry.
func TestNoRetryOn4xx(t *testing.T) {
	e := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "store", Nth: 1, Count: 10, Status: 400}}}, Config{})
	path, _ := randomFile(t, 10)
	_, err := e.c.Upload(context.Background(), path, UploadOptions{})
	if err == nil || IsTemporary(err) || statusOf(err) != 400 {
		t.Fatalf("want a final 400, got %v", err)
	}
	if n := countEndpoint(e, "store"); n != 1 {
		t.Fatalf("%d store requests for a 400, want 1", n)
	}
	bad := newEnv(t, emulator.Options{}, Config{APIKey: "WRONGKEYaaaaaaaaaaaaaa"})
	_, err = bad.c.Upload(context.Background(), path, UploadOptions{})
	if !IsUnauthorized(err) || countEndpoint(bad, "store") != 1 {
		t.Fatalf("bad key: %v", err)
	}
}

// Retries stop at the attempt limit.
func TestRetriesAreBounded(t *testing.T) {
	e := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "store", Rate: 1, Status: 503}}}, Config{Retry: RetryPolicy{Attempts: 3}})
	path, _ := randomFile(t, 10)
	if _, err := e.c.Upload(context.Background(), path, UploadOptions{}); err == nil || !IsTemporary(err) {
		t.Fatalf("want a temporary error after giving up, got %v", err)
	}
	if n := countEndpoint(e, "store"); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
}

// The vector of §3.7: a 5,415,034-byte part whose first PUT fails is sent
// again as 4,194,304 + 1,220,730 bytes; under persistent failure the last
// attempt is 32,768 bytes.
func TestIntelligentIngestionHalving(t *testing.T) {
	const n = 5415034
	e := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "put", Nth: 1, Status: 400}}}, Config{})
	path, data := randomFile(t, n)
	var ev events
	f, err := e.c.Upload(context.Background(), path, UploadOptions{Intelligent: true, Progress: ev.add})
	if err != nil {
		t.Fatal(err)
	}
	var sizes []string
	for _, p := range puts(e) {
		sizes = append(sizes, p.Size)
	}
	if strings.Join(sizes, ",") != "5415034,4194304,1220730" {
		t.Fatalf("PUT sizes %v", sizes)
	}
	if !bytes.Equal(e.download(f.Handle), data) {
		t.Fatal("bytes differ")
	}
	checkProgress(t, ev.list(), n)
	var shrink []int64
	for _, x := range ev.list() {
		if x.Kind == EventChunkSize {
			shrink = append(shrink, x.Size)
		}
	}
	if len(shrink) != 1 || shrink[0] != 4194304 {
		t.Fatalf("chunk-size events %v", shrink)
	}

	e2 := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "put", Rate: 1, Status: 500}}}, Config{})
	if _, err := e2.c.Upload(context.Background(), path, UploadOptions{Intelligent: true}); err == nil {
		t.Fatal("persistent failure must fail")
	} else if !strings.Contains(err.Error(), "32 KiB") {
		t.Fatalf("error %v", err)
	}
	ps := puts(e2)
	if last := ps[len(ps)-1].Size; last != "32768" {
		t.Fatalf("last attempt %s bytes, want 32768 (all: %v)", last, ps)
	}
	if len(ps) != 9 {
		t.Fatalf("%d attempts, want 9 (8 MiB…32 KiB)", len(ps))
	}
}

func TestComplete202Polling(t *testing.T) {
	e := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "complete", Accepted: 3}}}, Config{})
	path, data := randomFile(t, int(MinPartSize)+10)
	f, err := e.c.Upload(context.Background(), path, UploadOptions{ForceMultipart: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := countEndpoint(e, "complete"); n != 4 {
		t.Fatalf("%d complete calls, want 4 (3×202 then 200)", n)
	}
	if !bytes.Equal(e.download(f.Handle), data) {
		t.Fatal("bytes differ")
	}
	e2 := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "complete", Accepted: 1000}}}, Config{CompleteTimeout: 300 * 1e6})
	if _, err := e2.c.Upload(context.Background(), path, UploadOptions{ForceMultipart: true}); err == nil || !strings.Contains(err.Error(), "still assembling") {
		t.Fatalf("want a timeout while 202, got %v", err)
	}
}

// capture records request bodies of one path (through Config.Transport).
type capture struct {
	mu     sync.Mutex
	bodies map[string][]string
	agents []string
	rt     http.RoundTripper
}

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.agents = append(c.agents, r.Header.Get("User-Agent"))
	c.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/multipart/") && r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		c.mu.Lock()
		if c.bodies == nil {
			c.bodies = map[string][]string{}
		}
		c.bodies[r.URL.Path] = append(c.bodies[r.URL.Path], string(b))
		c.mu.Unlock()
	}
	return c.rt.RoundTrip(r)
}

// Part 1 finishes last (latency), yet complete lists parts 1..N in order.
func TestPartsInOrderAfterOutOfOrderCompletion(t *testing.T) {
	cp := &capture{rt: http.DefaultTransport}
	e := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "put", Part: 1, Latency: 300 * 1e6}}}, Config{Transport: cp, PartSize: MinPartSize})
	path, data := randomFile(t, 3*int(MinPartSize))
	var ev events
	f, err := e.c.Upload(context.Background(), path, UploadOptions{ForceMultipart: true, Progress: ev.add})
	if err != nil {
		t.Fatal(err)
	}
	var done []int
	for _, x := range ev.list() {
		if x.Kind == EventPartDone {
			done = append(done, x.Part)
		}
	}
	if len(done) != 3 || done[2] != 1 {
		t.Fatalf("part 1 should have finished last: %v", done)
	}
	body := cp.bodies["/multipart/complete"][0]
	i1, i2, i3 := strings.Index(body, `"part_number":1`), strings.Index(body, `"part_number":2`), strings.Index(body, `"part_number":3`)
	if !(i1 >= 0 && i1 < i2 && i2 < i3) {
		t.Fatalf("complete parts not in order: %s", body)
	}
	if !bytes.Equal(e.download(f.Handle), data) {
		t.Fatal("bytes differ")
	}
	for _, ua := range cp.agents {
		if ua != "fsdeck/"+Version {
			t.Fatalf("User-Agent %q", ua)
		}
	}
}

func TestErrorHelpers(t *testing.T) {
	cases := []struct {
		err                                  error
		notFound, unauthorized, policy, temp bool
	}{
		{&Error{Status: 404}, true, false, false, false},
		{&Error{Status: 401}, false, true, false, false},
		{&Error{Status: 400, Message: "Invalid Application: API key not recognised"}, false, true, false, false},
		{&Error{Status: 403, Message: "Policy expired"}, false, false, true, false},
		{&Error{Status: 403, Code: "RequestTimeTooSkewed"}, false, false, false, true},
		{&Error{Status: 503}, false, false, false, true},
		{&Error{Status: 429}, false, false, false, true},
		{&Error{Status: 408}, false, false, false, true},
		{&Error{Err: errors.New("connection reset")}, false, false, false, true},
		{&Error{Err: context.Canceled}, false, false, false, false},
		{errors.New("plain"), false, false, false, false},
	}
	for i, c := range cases {
		if IsNotFound(c.err) != c.notFound || IsUnauthorized(c.err) != c.unauthorized || IsPolicyError(c.err) != c.policy || IsTemporary(c.err) != c.temp {
			t.Errorf("case %d (%v): helpers disagree", i, c.err)
		}
	}
}
