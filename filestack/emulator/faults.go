package emulator

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault makes the server misbehave on purpose, for tests and for
// `fsdeck serve --fault`. Endpoint is one of store, file, metadata, start,
// upload, put, commit, complete, process, cdn, or * for all.
type Fault struct {
	Endpoint string
	// Nth fails the Nth matching request (1-based), and Count-1 after it.
	Nth, Count int
	// Rate fails this fraction of matching requests (seeded by Seed).
	Rate float64
	Seed uint64
	// Status is the status to answer (500 when zero).
	Status int
	// Drop cuts the connection mid-body instead of answering.
	Drop bool
	// Accepted makes complete answer 202 this many times first.
	Accepted int
	// Latency delays matching requests (only the Nth..Nth+Count-1 when Nth is set).
	Latency time.Duration
	// Code is the S3 error code of a failed part PUT (default InternalError),
	// e.g. RequestTimeTooSkewed.
	Code string
	// BytesPerSecond slows the matching responses' bodies to about this
	// rate ("bps=65536"), so a test can interrupt a download midway.
	BytesPerSecond int64
	// Part limits the fault to one part number (part PUTs and upload calls
	// that carry it in the URL); 0 means any.
	Part int
}

// ParseFault reads the `serve --fault` syntax, e.g. "put:nth=3,status=503",
// "put:rate=0.1,drop", "complete:accepted=3", "*:latency=50ms".
func ParseFault(s string) (Fault, error) {
	ep, spec, ok := strings.Cut(s, ":")
	f := Fault{Endpoint: ep}
	if !ok || ep == "" {
		return f, fmt.Errorf("fault %q: expected endpoint:key=value[,key=value]", s)
	}
	if !validFaultEndpoint(ep) {
		return f, fmt.Errorf("fault %q: unknown endpoint %q", s, ep)
	}
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		var err error
		switch k {
		case "nth":
			f.Nth, err = strconv.Atoi(v)
		case "count":
			f.Count, err = strconv.Atoi(v)
		case "rate":
			f.Rate, err = strconv.ParseFloat(v, 64)
		case "seed":
			f.Seed, err = strconv.ParseUint(v, 10, 64)
		case "status":
			f.Status, err = strconv.Atoi(v)
		case "drop":
			f.Drop = true
		case "accepted":
			f.Accepted, err = strconv.Atoi(v)
		case "latency":
			f.Latency, err = time.ParseDuration(v)
		case "code":
			f.Code = v
		case "part":
			f.Part, err = strconv.Atoi(v)
		case "bps":
			f.BytesPerSecond, err = strconv.ParseInt(v, 10, 64)
			if err == nil && f.BytesPerSecond <= 0 {
				err = fmt.Errorf("must be positive")
			}
		default:
			return f, fmt.Errorf("fault %q: unknown key %q (nth, count, rate, seed, status, drop, accepted, latency, code, part, bps)", s, k)
		}
		if err != nil {
			return f, fmt.Errorf("fault %q: bad value for %s: %v", s, k, err)
		}
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return f, fmt.Errorf("fault %q: status must be 4xx or 5xx", s)
	}
	return f, nil
}

func validFaultEndpoint(ep string) bool {
	switch ep {
	case "*", epStore, epFile, epFileMeta, epStart, epUpload, epPut, epCommit, epComplete, epProcess, epCDN:
		return true
	}
	return false
}

type faultState struct {
	Fault
	seen int
	rng  *rand.Rand
}

type faultSet struct {
	mu     sync.Mutex
	faults []*faultState
}

func newFaultSet(fs []Fault) *faultSet {
	set := &faultSet{}
	for _, f := range fs {
		set.faults = append(set.faults, &faultState{Fault: f, rng: rand.New(rand.NewPCG(f.Seed, 0x5eed))})
	}
	return set
}

// SetFaults replaces the active faults (tests switch them mid-run).
func (s *Server) SetFaults(fs ...Fault) {
	n := newFaultSet(fs)
	s.faults.mu.Lock()
	s.faults.faults = n.faults
	s.faults.mu.Unlock()
}

// decide returns the action for this request: latency, and whether and how to fail.
func (fs *faultSet) decide(ep string, part int) (latency time.Duration, fail *Fault, accepted bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, f := range fs.faults {
		if (f.Endpoint != "*" && f.Endpoint != ep) || (f.Part != 0 && f.Part != part) {
			continue
		}
		f.seen++
		inWindow := f.Nth > 0 && f.seen >= f.Nth && f.seen < f.Nth+max(1, f.Count)
		if f.Nth == 0 || inWindow {
			latency += f.Latency
		}
		if f.Latency > 0 && f.Status == 0 && !f.Drop && f.Rate == 0 {
			continue // a latency-only fault
		}
		switch {
		case f.Accepted > 0 && ep == epComplete && f.seen <= f.Accepted:
			accepted = true
		case f.Nth > 0:
			if inWindow && fail == nil {
				fail = &f.Fault
			}
		case f.Rate > 0:
			if f.rng.Float64() < f.Rate && fail == nil {
				fail = &f.Fault
			}
		}
	}
	return latency, fail, accepted
}

// apply injects the configured faults; true means the request was answered.
func (fs *faultSet) apply(ep string, w http.ResponseWriter, r *http.Request) bool {
	part, _ := strconv.Atoi(r.URL.Query().Get("partNumber"))
	latency, fail, accepted := fs.decide(ep, part)
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return true
		}
	}
	if accepted {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		writeJSON(w, http.StatusAccepted, map[string]any{})
		return true
	}
	if fail == nil {
		return false
	}
	if fail.Drop {
		if rec, ok := w.(*recorder); ok {
			rec.dropped = true
		}
		dropConnection(w, r)
		return true
	}
	status := fail.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	io.Copy(io.Discard, io.LimitReader(r.Body, 64<<20))
	if status == http.StatusTooManyRequests {
		w.Header().Set("Filestack-Limit", "100")
		w.Header().Set("Filestack-Remaining", "0")
		w.Header().Set("Filestack-Reset", strconv.FormatInt(time.Now().Add(time.Second).Unix(), 10))
	}
	msg := fmt.Sprintf("injected fault: %d %s", status, http.StatusText(status))
	switch ep {
	case epPut:
		code := fail.Code
		if code == "" {
			code = "InternalError"
		}
		writeS3Error(w, status, code, msg)
	case epStart, epUpload, epCommit, epComplete:
		writeJSON(w, status, map[string]any{"error": msg, "c": w.Header().Get("X-Request-Id"), "i": "UPL-emulator-1", "t": time.Now().Unix()})
	case epCDN, epProcess:
		writeTextError(w, errorf(status, "%s", msg))
	default:
		writeFileAPIError(w, errorf(status, "%s", msg))
	}
	return true
}

// throttle returns the body rate of the first matching throttling fault
// (0: none).
func (fs *faultSet) throttle(ep string) int64 {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, f := range fs.faults {
		if f.BytesPerSecond > 0 && (f.Endpoint == "*" || f.Endpoint == ep) {
			return f.BytesPerSecond
		}
	}
	return 0
}

// slowWriter writes a response body in small chunks at about bps bytes
// per second, stopping when the client goes away.
type slowWriter struct {
	http.ResponseWriter
	bps int64
	ctx context.Context
}

// Unwrap lets noteCause and http.ResponseController reach the recorder.
func (s *slowWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *slowWriter) Write(b []byte) (int, error) {
	const chunk = 4 << 10
	n := 0
	for len(b) > 0 {
		c := min(len(b), chunk)
		select {
		case <-time.After(time.Duration(int64(c) * int64(time.Second) / s.bps)):
		case <-s.ctx.Done():
			return n, s.ctx.Err()
		}
		w, err := s.ResponseWriter.Write(b[:c])
		n += w
		if err != nil {
			return n, err
		}
		b = b[c:]
	}
	return n, nil
}

// dropConnection reads half of a request body (or none) and closes the
// connection without an answer, as a network fault mid-transfer would.
func dropConnection(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > 0 {
		io.CopyN(io.Discard, r.Body, r.ContentLength/2)
	}
	rc := http.NewResponseController(w)
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
