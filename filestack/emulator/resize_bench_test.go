package emulator

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/fsdeck/fsdeck/filestack/emulator/jpegscale"
	"github.com/fsdeck/fsdeck/internal/benchpair"
)

// BenchmarkResize4000To300 is an uncached resize of a 4000×3000 JPEG to
// 300 px wide: over HTTP, decode+resize+encode in process with the
// previous Lanczos-only resize, with the box-then-Lanczos one after a full
// decode and with shrink on load (decoded at 1/4).
// FSDECK_BENCH_JPEG names a real photo to use instead of the synthetic one.
//
// The "paired" cases are the ones to quote: each iteration runs both
// sides, in alternating order, and they report the median of the per-pair
// ratios (first side's time ÷ second's) with every pair logged (-v).
// paired-vipsthumbnail is the emulator over HTTP against libvips'
// `vipsthumbnail -s 300` of the same file (shrink on load in libjpeg-turbo;
// skipped when vipsthumbnail is not installed); paired-full-decode is
// shrink on load against the full decode, both in process;
// paired-imagemagick is the emulator over HTTP against ImageMagick's
// `convert -resize 300x` of the same file (FSDECK_CONVERT, else convert on
// the PATH; skipped when it is not installed).
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
	fullDecode := func(r *bytes.Reader) error {
		img, err := imaging.Decode(r)
		if err != nil {
			return err
		}
		return imaging.Encode(io.Discard, lanczos(img, 300, 0), imaging.JPEG, imaging.JPEGQuality(90))
	}
	shrunk := func(r *bytes.Reader) error {
		img, err := jpegscale.Decode(r, 4)
		if err != nil {
			return err
		}
		return imaging.Encode(io.Discard, lanczos(img, 300, 225), imaging.JPEG, imaging.JPEGQuality(90))
	}
	b.Run("direct-box-then-lanczos", func(b *testing.B) { direct(b, fullDecode) })
	b.Run("direct-shrink-on-load", func(b *testing.B) { direct(b, shrunk) })
	get := func() error {
		res, err := http.Get(srv.URL + "/resize=width:300/" + h)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if _, err := io.Copy(io.Discard, res.Body); err != nil || res.StatusCode != 200 {
			return fmt.Errorf("%v %s", err, res.Status)
		}
		return nil
	}
	b.Run("paired-vipsthumbnail", func(b *testing.B) {
		vips, err := exec.LookPath("vipsthumbnail")
		if err != nil {
			b.Skip("vipsthumbnail is not installed (Debian: libvips-tools)")
		}
		dir := b.TempDir()
		in, out := filepath.Join(dir, "in.jpg"), filepath.Join(dir, "out.jpg")
		if err := os.WriteFile(in, jpg, 0o600); err != nil {
			b.Fatal(err)
		}
		thumb := func() error {
			if msg, err := exec.Command(vips, in, "-s", "300", "-o", out+"[Q=90]").CombinedOutput(); err != nil {
				return fmt.Errorf("%v: %s", err, msg)
			}
			return nil
		}
		pairs(b, "emulator over HTTP", get, "vipsthumbnail -s 300", thumb)
	})
	b.Run("paired-full-decode", func(b *testing.B) {
		pairs(b, "shrink on load", func() error { return shrunk(bytes.NewReader(jpg)) },
			"full decode", func() error { return fullDecode(bytes.NewReader(jpg)) })
	})
	b.Run("paired-imagemagick", func(b *testing.B) {
		convert := imageMagick(b)
		dir := b.TempDir()
		in, out := filepath.Join(dir, "in.jpg"), filepath.Join(dir, "out.jpg")
		if err := os.WriteFile(in, jpg, 0o600); err != nil {
			b.Fatal(err)
		}
		resize := func() error {
			if msg, err := exec.Command(convert, in, "-resize", "300x", "-quality", "90", out).CombinedOutput(); err != nil {
				return fmt.Errorf("%v: %s", err, msg)
			}
			return nil
		}
		pairs(b, "emulator over HTTP", get, "convert -resize 300x", resize)
	})
}

// pairs runs a and b once each per iteration, in alternating order, logs
// each pair and reports the median of the per-pair ratios (a's time ÷
// b's: below 1 when a is faster) and the median time of each.
func pairs(bm *testing.B, aName string, a func() error, bName string, b func() error) {
	bm.Helper()
	r := benchpair.Run(bm, aName, benchpair.Timed(bm, a), bName, benchpair.Timed(bm, b), benchpair.AOverB)
	bm.ReportMetric(1000*benchpair.Median(r.A), "a-ms")
	bm.ReportMetric(1000*benchpair.Median(r.B), "b-ms")
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
