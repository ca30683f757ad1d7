//go:build linux

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/benchpair"
	"github.com/fsdeck/fsdeck/internal/clitest"
)

// benchServer runs `fsdeck serve --quiet` on a free address with c's data
// directory (local mode then uses it) and returns its base URL and key.
func benchServer(b *testing.B, c *cli) (base, key string) {
	b.Helper()
	base, key, _ = benchServerCPU(b, c)
	return base, key
}

// benchServerCPU is benchServer that also returns a reader of the server
// process's CPU time so far (user+sys), for per-operation CPU metrics:
// on a shared machine CPU work is steadier than wall time.
func benchServerCPU(b *testing.B, c *cli) (base, key string, cpu func() time.Duration) {
	b.Helper()
	c.addr = clitest.FreeAddr(b)
	srv := c.command("", "serve", "--quiet", "--addr", c.addr)
	var out bytes.Buffer
	srv.Stdout = &out
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() })
	clitest.WaitListening(b, c.addr)
	var creds localCreds
	raw, err := os.ReadFile(filepath.Join(c.data, "local-server", "credentials.json"))
	if err != nil || json.Unmarshal(raw, &creds) != nil {
		b.Fatalf("local server credentials: %v", err)
	}
	return "http://" + c.addr, creds.APIKey, func() time.Duration { return procCPU(srv.Process.Pid) }
}

// procCPU reads a running process's user+sys time from /proc/PID/stat.
func procCPU(pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are
	// fields 14 and 15 of the whole line, in clock ticks (USER_HZ = 100).
	rest := string(raw[bytes.LastIndexByte(raw, ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// rusageCPU is a finished child's user+sys time.
func rusageCPU(st *os.ProcessState) time.Duration { return st.UserTime() + st.SystemTime() }

// benchSmoke is FSDECK_BENCH_SMOKE=1: the benchmarks' heavy inputs shrink
// (1 GiB to 16 MiB, 1,000 files to 20) so that .ci/run can run every
// benchmark once (-benchtime 1x) and none rots; the figures of such a run
// mean nothing.
var benchSmoke = os.Getenv("FSDECK_BENCH_SMOKE") == "1"

func needCurl(b *testing.B) {
	if _, err := exec.LookPath("curl"); err != nil {
		b.Skip("needs curl")
	}
}

// runQuiet runs a command and fails the benchmark on a non-zero exit.
func runQuiet(b *testing.B, cmd *exec.Cmd) *os.ProcessState {
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &errb
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %v\n%s", cmd.Args, err, errb.String())
	}
	return cmd.ProcessState
}

// BenchmarkUploadSmallFiles uploads 1,000 files of 4 KiB to the local
// server: `fsdeck upload -r` against a shell loop of curl simple stores
// (the baseline). The "paired" case is the one to quote: each
// iteration runs both, in alternating order, and it reports the median of
// the per-pair ratios (the curl loop's time ÷ fsdeck's, above 1 when
// fsdeck is faster) with every pair logged (-v).
func BenchmarkUploadSmallFiles(b *testing.B) {
	needCurl(b)
	c := newCLI(b)
	base, key := benchServer(b, c)
	dir := filepath.Join(c.dir, "small")
	os.MkdirAll(dir, 0o755)
	files := 1000
	if benchSmoke {
		files = 20
	}
	for i := range files {
		data := bytes.Repeat([]byte{byte(i)}, 4096)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.bin", i)), data, 0o644)
	}
	fsdeck := func() error { runQuiet(b, c.command("", "upload", "-r", "-q", dir)); return nil }
	script := `for f in "$1"/*; do curl -sf -o /dev/null -F "fileUpload=@$f" "$2/api/store/S3?key=$3" || exit 1; done`
	curlLoop := func() error { runQuiet(b, exec.Command("bash", "-c", script, "bash", dir, base, key)); return nil }
	b.Run("fsdeck", func(b *testing.B) {
		for b.Loop() {
			fsdeck()
		}
	})
	b.Run("curl-loop", func(b *testing.B) {
		for b.Loop() {
			curlLoop()
		}
	})
	b.Run("paired", func(b *testing.B) {
		r := benchpair.Run(b, "fsdeck upload -r", benchpair.Timed(b, fsdeck), "curl loop", benchpair.Timed(b, curlLoop), benchpair.BOverA)
		b.ReportMetric(median(r.A), "fsdeck-s")
		b.ReportMetric(median(r.B), "curl-s")
	})
}

// BenchmarkUploadLargeFile uploads 1 GiB: `fsdeck upload` (multipart,
// parts in parallel, then complete) against one `curl -T` streaming PUT of
// the whole file to the same server's part endpoint (start and the part
// URL fetched first, as an upload must). It reports fsdeck's peak RSS.
//
// The "paired" case is the one to quote: each iteration runs both, in
// alternating order, each after the server's earlier uploads are removed
// and dirty pages are written out (sync), so neither side inherits the
// other's write-back; it reports the median of the per-pair ratios (curl
// time ÷ fsdeck time, above 1 when fsdeck is faster). The "fsdeck" and
// "curl-T" cases run one side alone, for its CPU figures.
func BenchmarkUploadLargeFile(b *testing.B) {
	needCurl(b)
	l := newLargeUpload(b)
	b.Run("fsdeck", func(b *testing.B) {
		b.SetBytes(l.size)
		var peak int64
		var cpu, srv time.Duration
		for b.Loop() {
			r := l.fsdeck(b)
			peak, cpu, srv = max(peak, r.rss), cpu+r.cpu, srv+r.srv
		}
		b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
		reportCPU(b, cpu, srv)
	})
	b.Run("curl-T", func(b *testing.B) {
		b.SetBytes(l.size)
		var cpu, srv time.Duration
		for b.Loop() {
			r := l.curl(b)
			cpu, srv = cpu+r.cpu, srv+r.srv
		}
		reportCPU(b, cpu, srv)
	})
	b.Run("paired", func(b *testing.B) {
		fs, cu := benchpair.Alternate(b, func() largeRun { return l.fsdeck(b) }, func() largeRun { return l.curl(b) }, nil)
		ratios := make([]float64, len(fs))
		for i := range fs {
			ratios[i] = benchpair.BOverA(fs[i].wall.Seconds(), cu[i].wall.Seconds())
			b.Logf("pair %d: fsdeck %.2f s (client CPU %.2f s, server CPU %.2f s, peak RSS %d MiB), curl -T %.2f s (client CPU %.2f s, server CPU %.2f s), ratio %.2f",
				i+1, fs[i].wall.Seconds(), fs[i].cpu.Seconds(), fs[i].srv.Seconds(), fs[i].rss/1024,
				cu[i].wall.Seconds(), cu[i].cpu.Seconds(), cu[i].srv.Seconds(), ratios[i])
		}
		b.ReportMetric(median(ratios), "median-ratio")
		b.ReportMetric(median(walls(fs)), "fsdeck-s")
		b.ReportMetric(median(walls(cu)), "curl-s")
	})
}

// largeUpload is the shared setup of BenchmarkUploadLargeFile: a server,
// its credentials and a 1 GiB file.
type largeUpload struct {
	c         *cli
	base, key string
	big       string
	size      int64
	srvCPU    func() time.Duration
}

// largeRun is one timed upload: wall time, the client's and the server's
// CPU time, and the client's peak RSS in KiB.
type largeRun struct {
	wall, cpu, srv time.Duration
	rss            int64
}

func newLargeUpload(b *testing.B) *largeUpload {
	l := &largeUpload{c: newCLI(b), size: 1 << 30}
	if benchSmoke {
		l.size = 16 << 20
	}
	l.base, l.key, l.srvCPU = benchServerCPU(b, l.c)
	l.big = filepath.Join(l.c.dir, "big.bin")
	f, err := os.Create(l.big)
	if err != nil {
		b.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := range l.size >> 20 {
		for j := range chunk {
			chunk[j] = byte(int(i)*31 + j*7)
		}
		f.Write(chunk)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return l
}

// settle removes what earlier uploads left on the server (stored files
// through the API, part sessions from disk) and writes dirty pages out, so
// every run starts from the same state: on this kind of machine a run that
// begins with a gigabyte of dirty pages pays for the previous one's
// write-back.
func (l *largeUpload) settle(b *testing.B, handle string) {
	b.StopTimer()
	defer b.StartTimer()
	if handle != "" {
		runQuiet(b, l.c.command("", "rm", "--yes", handle))
	}
	sessions := filepath.Join(l.c.data, "local-server", "sessions")
	entries, _ := os.ReadDir(sessions)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(sessions, e.Name()))
	}
	syscall.Sync()
}

// fsdeck uploads the file with `fsdeck upload`, then settles.
func (l *largeUpload) fsdeck(b *testing.B) largeRun {
	l.settle(b, "")
	cmd := l.c.command("", "upload", "-q", l.big)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	srv0, t0 := l.srvCPU(), time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("fsdeck upload: %v\n%s", err, errb.String())
	}
	r := largeRun{wall: time.Since(t0), cpu: rusageCPU(cmd.ProcessState), srv: l.srvCPU() - srv0}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.rss = ru.Maxrss // KiB on Linux
	}
	l.settle(b, strings.TrimSpace(out.String()))
	return r
}

// curl starts a multipart upload, asks for one part covering the whole
// file and PUTs it with `curl -T`, then settles.
func (l *largeUpload) curl(b *testing.B) largeRun {
	l.settle(b, "")
	srv0, t0 := l.srvCPU(), time.Now()
	url, headers := partURL(b, l.base, l.key, l.size)
	args := []string{"-sf", "-o", "/dev/null", "-T", l.big}
	for k, v := range headers {
		args = append(args, "-H", k+": "+v)
	}
	st := runQuiet(b, exec.Command("curl", append(args, url)...))
	return largeRun{wall: time.Since(t0), cpu: rusageCPU(st), srv: l.srvCPU() - srv0}
}

func walls(rs []largeRun) []float64 {
	w := make([]float64, len(rs))
	for i, r := range rs {
		w[i] = r.wall.Seconds()
	}
	return w
}

// median is benchpair.Median, under the name this package's benchmarks use.
var median = benchpair.Median

// reportCPU reports the client's and the server's CPU seconds per upload.
func reportCPU(b *testing.B, client, server time.Duration) {
	b.ReportMetric(client.Seconds()/float64(b.N), "client-cpu-s/op")
	b.ReportMetric(server.Seconds()/float64(b.N), "server-cpu-s/op")
}

// partURL starts a multipart upload and asks for part 1 covering size
// bytes, returning the presigned URL and its headers.
func partURL(b *testing.B, base, key string, size int64) (string, map[string]string) {
	var start struct {
		URI, Region string
		UploadID    string `json:"upload_id"`
	}
	post(b, base+"/multipart/start", map[string]any{"apikey": key, "filename": "big.bin", "mimetype": "application/octet-stream",
		"size": size, "store": map[string]string{"location": "s3"}}, &start)
	var part struct {
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	}
	post(b, base+"/multipart/upload", map[string]any{"apikey": key, "uri": start.URI, "region": start.Region,
		"upload_id": start.UploadID, "part": 1, "size": size, "store": map[string]string{"location": "s3"}}, &part)
	return part.URL, part.Headers
}

func post(b *testing.B, url string, body, out any) {
	raw, _ := json.Marshal(body)
	res, err := http.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	ans, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || json.Unmarshal(ans, out) != nil {
		b.Fatalf("%s: %d %s", url, res.StatusCode, strings.TrimSpace(string(ans)))
	}
}
