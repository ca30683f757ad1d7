package filestack

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/benchpair"
)

// benchSmoke is FSDECK_BENCH_SMOKE=1: the benchmarks' heavy inputs shrink
// (hundreds of MiB to a few, 1,000 files to 20) so that .ci/run can run
// every benchmark once (-benchtime 1x) and none rots; the figures of such
// a run mean nothing.
var benchSmoke = os.Getenv("FSDECK_BENCH_SMOKE") == "1"

// benchSize is full, or small under FSDECK_BENCH_SMOKE=1.
func benchSize(full, small int64) int64 {
	if benchSmoke {
		return small
	}
	return full
}

// benchEnv is an emulator on loopback and a file of n random bytes.
func benchEnv(b *testing.B, eo emulator.Options, cfg Config) (*emulator.Server, *httptest.Server, *Client) {
	b.Helper()
	eo.DataDir, eo.APIKeys, eo.AppSecret = b.TempDir(), []string{testKey}, testSecret
	emu, err := emulator.New(eo)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	cfg.APIKey, cfg.APIBase, cfg.UploadBase, cfg.CDNBase = testKey, srv.URL+"/api", srv.URL, srv.URL
	c, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(); srv.Close(); emu.Close() })
	return emu, srv, c
}

func benchFile(b *testing.B, n int64) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "big.bin")
	f, _ := os.Create(p)
	io.CopyN(f, rand.Reader, n)
	f.Close()
	return p
}

// BenchmarkUpload256MiB: fsdeck's upload at default settings against one
// streaming PUT of the same bytes to the emulator's part endpoint (same
// server-side MD5 check and disk write; its MD5 and URL are had before its
// clock starts), alternating in one process (A B, then B A, …). Each
// pair's ratio is the PUT's time ÷ fsdeck's (the target: ≥ 0.8); it logs
// every pair and reports the median. Run with -benchtime 10x or more.
func BenchmarkUpload256MiB(b *testing.B) {
	size := benchSize(256<<20, 16<<20)
	path := benchFile(b, size)
	_, srv, c := benchEnv(b, emulator.Options{}, Config{})
	admin := benchAdmin(b, srv)
	data, _ := os.ReadFile(path)
	sum := md5.Sum(data)
	md := base64.StdEncoding.EncodeToString(sum[:])
	data = nil
	upload := func() float64 {
		t0 := time.Now()
		f, err := c.Upload(context.Background(), path, UploadOptions{})
		d := time.Since(t0).Seconds()
		if err != nil {
			b.Fatal(err)
		}
		benchDelete(b, admin, f.Handle)
		return d
	}
	put := func() float64 {
		target := presign(b, srv.URL, size, md)
		f, _ := os.Open(path)
		defer f.Close()
		t0 := time.Now()
		req, _ := http.NewRequest("PUT", target.URL, f)
		req.ContentLength = size
		for k, v := range target.Headers {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("%v %v", err, res)
		}
		res.Body.Close()
		return time.Since(t0).Seconds()
	}
	benchpair.Run(b, "fsdeck", upload, "single PUT", put, benchpair.BOverA)
}

// benchAdmin is a client with the app secret, to delete what a benchmark
// stored so the emulator's disk does not fill over many iterations.
func benchAdmin(b *testing.B, srv *httptest.Server) *Client {
	b.Helper()
	admin, err := New(Config{APIKey: testKey, AppSecret: testSecret, APIBase: srv.URL + "/api", UploadBase: srv.URL, CDNBase: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(admin.Close)
	return admin
}

// benchDelete deletes a stored file with the benchmark's clock stopped.
func benchDelete(b *testing.B, admin *Client, handle string) {
	b.StopTimer()
	defer b.StartTimer()
	if err := admin.Delete(context.Background(), handle); err != nil {
		b.Fatal(err)
	}
}

// presign runs start and upload for one part covering the whole file.
func presign(b *testing.B, base string, size int64, md string) partTarget {
	b.Helper()
	post := func(path string, body map[string]any, out any) {
		raw, _ := json.Marshal(body)
		res, err := http.Post(base+path, "application/json", bytes.NewReader(raw))
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("%s: %v %v", path, err, res)
		}
		json.NewDecoder(res.Body).Decode(out)
		res.Body.Close()
	}
	var st startAnswer
	post("/multipart/start", map[string]any{"apikey": testKey, "filename": "b", "size": size}, &st)
	var t partTarget
	post("/multipart/upload", map[string]any{"apikey": testKey, "uri": st.URI, "region": st.Region, "upload_id": st.UploadID,
		"part": 1, "size": size, "md5": md}, &t)
	return t
}

// BenchmarkManySmallFiles: 1,000 files of 4 KiB as fsdeck sends a batch
// (simple store, 4 files at a time, the UI's default) against the same
// files one after another through the full multipart path, which is what
// the official SDKs do, alternating in one process. Each pair's ratio is
// the sequential time ÷ the batch's (the target: ≥ 5); it logs every pair
// and reports the median. Run with -benchtime 10x or more.
func BenchmarkManySmallFiles(b *testing.B) {
	dir := b.TempDir()
	var paths []string
	for i := range benchSize(1000, 20) {
		p := filepath.Join(dir, fmt.Sprintf("f%04d.txt", i))
		buf := make([]byte, 4096)
		rand.Read(buf)
		os.WriteFile(p, buf, 0o600)
		paths = append(paths, p)
	}
	_, _, c := benchEnv(b, emulator.Options{}, Config{})
	batch := func() float64 {
		t0 := time.Now()
		uploadAll(b, c, paths, 4, UploadOptions{})
		return time.Since(t0).Seconds()
	}
	sequential := func() float64 {
		t0 := time.Now()
		uploadAll(b, c, paths, 1, UploadOptions{ForceMultipart: true})
		return time.Since(t0).Seconds()
	}
	benchpair.Run(b, "batch", batch, "sequential multipart", sequential, benchpair.BOverA)
}

func uploadAll(b *testing.B, c *Client, paths []string, conc int, opts UploadOptions) {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(len(paths)) {
					return
				}
				if _, err := c.Upload(context.Background(), paths[i], opts); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkUploadSweep measures part concurrency × part size (with and
// without 20 ms of latency per request, a stand-in for a real network) to
// choose the defaults. Run it on its own: -bench UploadSweep.
func BenchmarkUploadSweep(b *testing.B) {
	if testing.Short() {
		b.Skip("sweep")
	}
	size := benchSize(128<<20, 8<<20)
	path := benchFile(b, size)
	sizes, concs := []int64{5 << 20, 8 << 20, 16 << 20}, []int{2, 4, 8, 16}
	if benchSmoke {
		sizes, concs = sizes[1:2], concs[1:2]
	}
	for _, lat := range []time.Duration{0, 20 * time.Millisecond} {
		for _, ps := range sizes {
			for _, conc := range concs {
				b.Run(fmt.Sprintf("lat=%s/part=%dMiB/conc=%d", lat, ps>>20, conc), func(b *testing.B) {
					var faults []emulator.Fault
					if lat > 0 {
						faults = []emulator.Fault{{Endpoint: "*", Latency: lat}}
					}
					_, _, c := benchEnv(b, emulator.Options{Faults: faults}, Config{PartSize: ps, PartConcurrency: conc})
					b.SetBytes(size)
					for i := 0; i < b.N; i++ {
						if _, err := c.Upload(context.Background(), path, UploadOptions{}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// TestPeakHeapUploading1GiB reports the peak heap while uploading 1 GiB at
// default settings and checks it stays under parts in flight × part size +
// 32 MiB. The emulator runs in this process too, so the figure includes
// the server's side. Opt in with FSDECK_MEASURE_MEMORY=1 (it writes 2 GiB).
func TestPeakHeapUploading1GiB(t *testing.T) {
	if os.Getenv("FSDECK_MEASURE_MEMORY") == "" {
		t.Skip("set FSDECK_MEASURE_MEMORY=1 to measure (writes 1 GiB twice)")
	}
	const size = 1 << 30
	p := filepath.Join(t.TempDir(), "g.bin")
	f, _ := os.Create(p)
	io.CopyN(f, rand.Reader, size)
	f.Close()
	e := newEnv(t, emulator.Options{}, Config{})
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	if _, err := e.c.Upload(context.Background(), p, UploadOptions{}); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	limit := uint64(DefaultPartConcurrency)*DefaultPartSize + 32<<20
	t.Logf("peak heap in use while uploading 1 GiB: %.1f MiB (limit %.0f MiB), %.1fs", float64(peak.Load())/(1<<20), float64(limit)/(1<<20), time.Since(start).Seconds())
	if peak.Load() > limit {
		t.Fatalf("peak heap %d over %d", peak.Load(), limit)
	}
}

// BenchmarkIntelligentVsRegular: the same 128 MiB file sent by intelligent
// ingestion and by a regular multipart upload at default settings, against
// the local server, alternating in one process (A B, then B A, …) so a
// loaded machine slows both alike. Each pair's ratio is the regular
// upload's time ÷ intelligent ingestion's (the target: ≥ 0.95); it logs
// every pair and reports the median ratio, and each side's median
// cpu-s/GiB (client and server, both in this process). Each stored file
// is deleted before the next upload. Run with -benchtime 10x or more.
func BenchmarkIntelligentVsRegular(b *testing.B) {
	size := benchSize(128<<20, 16<<20)
	path := benchFile(b, size)
	_, srv, c := benchEnv(b, emulator.Options{}, Config{})
	admin := benchAdmin(b, srv)
	type run struct{ wall, cpu float64 }
	upload := func(opts UploadOptions) run {
		cpu, t0 := processCPU(), time.Now()
		f, err := c.Upload(context.Background(), path, opts)
		r := run{wall: time.Since(t0).Seconds(), cpu: (processCPU() - cpu) * (1 << 30) / float64(size)}
		if err != nil {
			b.Fatal(err)
		}
		benchDelete(b, admin, f.Handle)
		return r
	}
	regular, intelligent := UploadOptions{ForceMultipart: true}, UploadOptions{Intelligent: true}
	var ratios, regCPU, iiCPU []float64
	benchpair.Alternate(b, func() run { return upload(regular) }, func() run { return upload(intelligent) }, func(i int, reg, ii run) {
		ratios = append(ratios, benchpair.AOverB(reg.wall, ii.wall))
		regCPU, iiCPU = append(regCPU, reg.cpu), append(iiCPU, ii.cpu)
		b.Logf("pair %d: regular %.3f s (%.2f cpu-s/GiB), intelligent %.3f s (%.2f cpu-s/GiB), ratio %.3f",
			i+1, reg.wall, reg.cpu, ii.wall, ii.cpu, ratios[i])
	})
	b.ReportMetric(benchpair.Median(ratios), "median-ratio")
	b.ReportMetric(benchpair.Median(regCPU), "regular-cpu-s/GiB")
	b.ReportMetric(benchpair.Median(iiCPU), "intelligent-cpu-s/GiB")
}
