package conformance

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// sample is n bytes the target accepts: a PNG padded after its end for
// images only (decoders stop at IEND), lines of text for text only,
// random bytes otherwise.
func (c *run) sample(t *testing.T, n int) []byte {
	t.Helper()
	rnd := rand.New(rand.NewPCG(uint64(n), 7))
	switch c.caps().Kind {
	case hosts.ImagesOnly:
		b := pngSample(t, n)
		for len(b) < n {
			b = append(b, byte(rnd.IntN(256)))
		}
		return b[:max(n, len(b))]
	case hosts.TextOnly:
		b := []byte(strings.Repeat("conformance line ✓\n", n/20+1))[:n]
		for i := len(b) - 1; i >= 0 && !utf8.Valid(b); i-- {
			b[i] = '.' // a rune cut at the end: plain bytes instead
		}
		return b
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rnd.IntN(256))
	}
	return b
}

// pngSample is a small PNG of noise (at most about n bytes).
func pngSample(t *testing.T, n int) []byte {
	t.Helper()
	side := 8
	for side*side*2 < n && side < 64 {
		side *= 2
	}
	img := image.NewGray(image.Rect(0, 0, side, side))
	rnd := rand.New(rand.NewPCG(uint64(n), 3))
	for i := range img.Pix {
		img.Pix[i] = byte(rnd.IntN(256))
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// ext is a name's extension for content of kind.
func ext(k hosts.Kind) string {
	switch k {
	case hosts.ImagesOnly:
		return ".png"
	case hosts.TextOnly:
		return ".txt"
	}
	return ".bin"
}

// unknownID is id with its last letter or digit changed within its class
// (hex stays hex), so it has the form of the service's ids but names
// nothing.
func unknownID(id string) string {
	b := []byte(id)
	for i := len(b) - 1; i >= 0; i-- {
		switch c := b[i]; {
		case c >= '0' && c <= '9':
			b[i] = '0' + (c-'0'+1)%10
		case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			b[i] = c&^0x1f | ((c&0x1f-1+1)%6 + 1)
		case c >= 'g' && c <= 'z':
			b[i] = 'g' + (c-'g'+1)%20
		case c >= 'G' && c <= 'Z':
			b[i] = 'G' + (c-'G'+1)%20
		default:
			continue
		}
		return string(b)
	}
	return id + "0"
}
