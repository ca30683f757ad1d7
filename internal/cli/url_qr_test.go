package cli

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// decodeHalfBlocks reads a QR code drawn in half blocks back: each
// character is two modules, one above the other, drawn (█ ▀ ▄) where the
// module is light, as on a terminal's dark background; the modules are
// painted as 4×4 pixels and handed to ZXing's QR reader.
func decodeHalfBlocks(t *testing.T, lines []string) string {
	t.Helper()
	const px = 4
	w := 0
	for _, l := range lines {
		w = max(w, len([]rune(l)))
	}
	img := image.NewGray(image.Rect(0, 0, w*px, 2*len(lines)*px))
	for y, l := range lines {
		for x, r := range []rune(l) {
			var top, bottom bool // light
			switch r {
			case '█':
				top, bottom = true, true
			case '▀':
				top = true
			case '▄':
				bottom = true
			case ' ':
			default:
				t.Fatalf("line %d: %q is not a half block", y, r)
			}
			for dy := 0; dy < 2*px; dy++ {
				light := top
				if dy >= px {
					light = bottom
				}
				c := color.Gray{Y: 0}
				if light {
					c.Y = 255
				}
				for dx := 0; dx < px; dx++ {
					img.SetGray(x*px+dx, 2*y*px+dy, c)
				}
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("the printed QR code does not decode: %v\n%s", err, strings.Join(lines, "\n"))
	}
	return res.GetText()
}

// url --qr prints the URL as a QR code of half blocks, then the URL; the
// blocks decode back to exactly that URL (signed ones too, with their
// policy and signature), and --qr with --json is a usage error.
func TestURLQRDecodesToTheURL(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	out, errOut, code := c.run("", "upload", "-q", c.file("a.txt", []byte("scan me")))
	if code != 0 {
		t.Fatalf("upload: %d %s", code, errOut)
	}
	h := strings.TrimSpace(out)
	for _, args := range [][]string{{"url", h, "--qr"}, {"url", h, "--qr", "--signed", "1h"}} {
		out, errOut, code := c.run("", args...)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if code != 0 || len(lines) < 12 || errOut != "" {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
		url := lines[len(lines)-1]
		if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.Contains(url, h) {
			t.Fatalf("%v: the last line %q is not the URL", args, url)
		}
		if got := decodeHalfBlocks(t, lines[:len(lines)-1]); got != url {
			t.Errorf("%v: the QR code reads %q, want %q", args, got, url)
		}
	}
	if _, errOut, code := c.run("", "url", h, "--qr", "--json"); code != 2 || !strings.Contains(errOut, "--qr") {
		t.Errorf("url --qr --json: exit %d, stderr %q", code, errOut)
	}
}
