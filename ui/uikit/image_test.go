package uikit

import (
	"image"
	"strings"
	"testing"

	"github.com/muesli/termenv"
)

// A portrait image leaves padding on the right of each row: it is drawn
// after a reset, not in the last pixel's colour.
func TestHalfBlockPaddingReset(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 4, 8))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	out := RenderHalfBlocks(img, 10, 4, termenv.ANSI256)
	for _, line := range strings.Split(out, "\n") {
		i := strings.LastIndex(line, "▀")
		if !strings.HasPrefix(line[i+len("▀"):], "\x1b[0m ") {
			t.Fatalf("padding after %q", line[i:])
		}
	}
}

// p does not offer kitty where it cannot show (xterm inside tmux).
func TestPreviewModes(t *testing.T) {
	tmuxXterm := func(k string) string {
		return map[string]string{"TMUX": "/tmp/tmux-1/default,1,0", "TERM": "xterm-256color"}[k]
	}
	if d := DetectGraphics(tmuxXterm, false); ChoosePreview("auto", d) != PreviewHalfBlock || NextMode(PreviewHalfBlock, OfferedGraphics("auto", d)) != PreviewOff {
		t.Fatal("kitty offered inside tmux")
	}
	if NextMode(PreviewHalfBlock, PreviewKitty) != PreviewKitty || NextMode(PreviewOff, PreviewHalfBlock) != PreviewHalfBlock ||
		NextMode(PreviewKitty, PreviewKitty) != PreviewOff || NextMode(PreviewHalfBlock, PreviewSixel) != PreviewSixel {
		t.Fatal("mode cycle")
	}
}

func TestKittySequences(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 300))
	s := KittyImage(7, img, 3, 40, 50, 20, CellSize{})
	if !strings.HasPrefix(s, "\x1b7\x1b[4;41H\x1b_Ga=T,f=100,q=2,C=1,i=7,c=38,r=19,m=") || !strings.HasSuffix(s, "\x1b\\\x1b8") {
		t.Fatalf("sequence %q…", s[:80])
	}
	for _, chunk := range strings.Split(s, "\x1b_G")[1:] {
		payload := chunk[strings.Index(chunk, ";")+1 : strings.Index(chunk, "\x1b\\")]
		if len(payload) > 4096 {
			t.Fatalf("chunk of %d bytes", len(payload))
		}
	}
	if KittyDelete(7) != "\x1b_Ga=d,d=I,i=7,q=2\x1b\\" {
		t.Fatal(KittyDelete(7))
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	auto := func(m map[string]string) PreviewMode { return ChoosePreview("auto", DetectGraphics(env(m), false)) }
	if auto(map[string]string{"TERM": "xterm-kitty"}) != PreviewKitty ||
		auto(map[string]string{"TERM": "xterm-kitty", "TMUX": "x"}) != PreviewHalfBlock ||
		auto(map[string]string{"TERM": "xterm-256color"}) != PreviewHalfBlock ||
		ChoosePreview("kitty", PreviewHalfBlock) != PreviewKitty || ChoosePreview("off", PreviewKitty) != PreviewOff {
		t.Fatal("preview mode detection")
	}
}
