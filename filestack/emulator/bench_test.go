package emulator

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// benchSmoke is FSDECK_BENCH_SMOKE=1: the benchmarks' heavy inputs shrink
// (12 MP images to 0.5 MP, 1 GiB to 16 MiB) so that .ci/run can run every
// benchmark once (-benchtime 1x) and none rots; the figures of such a run
// mean nothing.
var benchSmoke = os.Getenv("FSDECK_BENCH_SMOKE") == "1"

// benchSize is full, or small under FSDECK_BENCH_SMOKE=1.
func benchSize(full, small int) int {
	if benchSmoke {
		return small
	}
	return full
}

// benchServer is an emulator on loopback for benchmarks.
func benchServer(b *testing.B, o Options) (*Server, *httptest.Server) {
	b.Helper()
	o.DataDir, o.APIKeys, o.AppSecret = b.TempDir(), []string{key}, secret
	s, err := New(o)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(s)
	b.Cleanup(func() { srv.Close(); s.Close() })
	return s, srv
}

func benchStore(b *testing.B, srv *httptest.Server, data []byte) string {
	b.Helper()
	res, err := http.Post(srv.URL+"/api/store/S3?key="+key, "application/octet-stream", bytes.NewReader(data))
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("store: %v %v", err, res)
	}
	var m map[string]any
	decodeJSON(res.Body, &m)
	res.Body.Close()
	u := m["url"].(string)
	return u[len(u)-20:]
}

func benchGet(b *testing.B, url string, size int64) {
	b.Helper()
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := http.Get(url)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("%v %v", err, res)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if n != size {
			b.Fatalf("got %d bytes", n)
		}
	}
}

// BenchmarkCDNGet64MiB compares the emulator's CDN GET with http.ServeFile
// of the same file on disk (the target: ≥ 0.8× its throughput).
func BenchmarkCDNGet64MiB(b *testing.B) {
	s, srv := benchServer(b, Options{})
	data := make([]byte, benchSize(64<<20, 4<<20))
	rand.Read(data)
	h := benchStore(b, srv, data)
	path := s.store.dataPath(h)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, path) }))
	defer plain.Close()
	b.Run("emulator", func(b *testing.B) { benchGet(b, srv.URL+"/"+h, int64(len(data))) })
	b.Run("servefile", func(b *testing.B) { benchGet(b, plain.URL+"/", int64(len(data))) })
	// The one to quote: median of emulator ÷ ServeFile per pair (below 1
	// when the emulator is faster).
	b.Run("paired", func(b *testing.B) {
		pairs(b, "emulator", getAll(srv.URL+"/"+h, int64(len(data))), "http.ServeFile", getAll(plain.URL+"/", int64(len(data))))
	})
}

// getAll is one GET of url that must answer 200 with size bytes (any
// number when size is negative).
func getAll(url string, size int64) func() error {
	return func() error {
		res, err := http.Get(url)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		n, err := io.Copy(io.Discard, res.Body)
		if err != nil || res.StatusCode != 200 || size >= 0 && n != size {
			return fmt.Errorf("GET %s: %v %s, %d bytes", url, err, res.Status, n)
		}
		return nil
	}
}

// photo12MP is a 4000×3000 JPEG with enough detail to cost like a photo.
func photo12MP(b *testing.B) []byte {
	b.Helper()
	w, h := benchSize(4000, 800), benchSize(3000, 600)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	noise := make([]byte, len(img.Pix))
	rand.Read(noise)
	for i := 0; i < len(img.Pix); i += 4 {
		x, y := (i/4)%w, (i/4)/w
		img.Pix[i] = uint8(x/16) ^ noise[i]>>4
		img.Pix[i+1] = uint8(y/12) ^ noise[i+1]>>4
		img.Pix[i+2] = uint8((x+y)/28) ^ noise[i+2]>>4
		img.Pix[i+3] = 255
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	return buf.Bytes()
}

// BenchmarkResize12MP: the emulator resizing a 12 MP JPEG to 300 px wide
// over HTTP (uncached), the same decode+resize+encode done directly with
// imaging, and the resize step alone against imaging.Resize.
func BenchmarkResize12MP(b *testing.B) {
	_, srv := benchServer(b, Options{NoProcessCache: true})
	jpg := photo12MP(b)
	h := benchStore(b, srv, jpg)
	b.Run("emulator-http", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			res, err := http.Get(srv.URL + "/resize=width:300/" + h)
			if err != nil || res.StatusCode != 200 {
				b.Fatalf("%v %v", err, res)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	})
	direct := func() error {
		img, err := imaging.Decode(bytes.NewReader(jpg))
		if err != nil {
			return err
		}
		out := imaging.Resize(img, 300, 0, imaging.Lanczos)
		return imaging.Encode(io.Discard, out, imaging.JPEG, imaging.JPEGQuality(90))
	}
	b.Run("imaging-direct", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := direct(); err != nil {
				b.Fatal(err)
			}
		}
	})
	img, _ := imaging.Decode(bytes.NewReader(jpg))
	task, _ := transform.ParseTask("resize=width:300")
	stepEmulator := func() error { _, err := applyImageTask(img, task); return err }
	stepImaging := func() error { imaging.Resize(img, 300, 0, imaging.Lanczos); return nil }
	b.Run("resize-step-emulator", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			stepEmulator()
		}
	})
	b.Run("resize-step-imaging", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			stepImaging()
		}
	})
	// The ones to quote: medians of the per-pair ratios (emulator ÷
	// imaging, below 1 when the emulator is faster).
	b.Run("paired-imaging", func(b *testing.B) {
		pairs(b, "emulator over HTTP", getAll(srv.URL+"/resize=width:300/"+h, -1), "imaging decode+resize+encode", direct)
	})
	b.Run("paired-resize-step", func(b *testing.B) { pairs(b, "emulator's resize", stepEmulator, "imaging.Resize", stepImaging) })
}

// BenchmarkCachedTransformHit compares a cached transformation with a plain
// CDN GET of a stored file of the same size (target ≤ 1.2× its time).
func BenchmarkCachedTransformHit(b *testing.B) {
	_, srv := benchServer(b, Options{})
	img := image.NewNRGBA(image.Rect(0, 0, 1200, 900))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var src bytes.Buffer
	jpeg.Encode(&src, img, &jpeg.Options{Quality: 92})
	h := benchStore(b, srv, src.Bytes())
	url := srv.URL + "/resize=width:800/" + h
	res, err := http.Get(url)
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("%v %v", err, res)
	}
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	same := make([]byte, len(out))
	rand.Read(same)
	plain := benchStore(b, srv, same)
	b.Run("cached-transform", func(b *testing.B) { benchGet(b, url, int64(len(out))) })
	b.Run("plain-cdn", func(b *testing.B) { benchGet(b, srv.URL+"/"+plain, int64(len(out))) })
	// The one to quote: median of cached ÷ plain per pair.
	b.Run("paired", func(b *testing.B) {
		pairs(b, "cached transformation", getAll(url, int64(len(out))), "plain CDN GET", getAll(srv.URL+"/"+plain, int64(len(out))))
	})
}
