package emulator

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
)

// BenchmarkResize4000To300 is an uncached resize of a 4000×3000 JPEG to
// 300 px wide: over HTTP, decode+resize+encode in process with the
// previous Lanczos-only resize and with the box-then-Lanczos one, and
// ImageMagick's `convert -resize` on the same file when it is installed.
// FSDECK_BENCH_JPEG names a real photo to use instead of the synthetic one.
func BenchmarkResize4000To300(b *testing.B) {
	jpg := photo12MP(b)
	if p := os.Getenv("FSDECK_BENCH_JPEG"); p != "" {
		var err error
		if jpg, err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
	}
	_, srv := benchServer(b, Options{NoProcessCache: true})
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
	direct := func(b *testing.B, resize func(img *bytes.Reader) error) {
		for i := 0; i < b.N; i++ {
			if err := resize(bytes.NewReader(jpg)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("direct-lanczos-only", func(b *testing.B) {
		direct(b, func(r *bytes.Reader) error {
			img, err := imaging.Decode(r)
			if err != nil {
				return err
			}
			return imaging.Encode(io.Discard, imaging.Resize(img, 300, 0, imaging.Lanczos), imaging.JPEG, imaging.JPEGQuality(90))
		})
	})
	b.Run("direct-box-then-lanczos", func(b *testing.B) {
		direct(b, func(r *bytes.Reader) error {
			img, err := imaging.Decode(r)
			if err != nil {
				return err
			}
			return imaging.Encode(io.Discard, lanczos(img, 300, 0), imaging.JPEG, imaging.JPEGQuality(90))
		})
	})
	b.Run("imagemagick-convert", func(b *testing.B) {
		convert := imageMagick(b)
		dir := b.TempDir()
		in, out := filepath.Join(dir, "in.jpg"), filepath.Join(dir, "out.jpg")
		if err := os.WriteFile(in, jpg, 0o600); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if msg, err := exec.Command(convert, in, "-resize", "300x", "-quality", "90", out).CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, msg)
			}
		}
	})
}

// imageMagick finds ImageMagick's convert (FSDECK_CONVERT, else PATH),
// skipping the benchmark when it is missing or a stand-in.
func imageMagick(b *testing.B) string {
	convert := os.Getenv("FSDECK_CONVERT")
	if convert == "" {
		convert = "convert"
	}
	out, err := exec.Command(convert, "-version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ImageMagick") || strings.Contains(string(out), "not installed") {
		b.Skipf("ImageMagick's convert is not installed (%s)", strings.TrimSpace(string(out)))
	}
	return convert
}
