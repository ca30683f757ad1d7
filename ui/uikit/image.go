package uikit

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/disintegration/imaging"
	"github.com/muesli/termenv"

	_ "image/gif"  // preview GIF results
	_ "image/jpeg" // preview JPEG results

	_ "golang.org/x/image/webp" // preview WebP results
)

// PreviewMode is how the studio and the file preview draw images.
type PreviewMode int

// How images are drawn.
const (
	PreviewHalfBlock PreviewMode = iota
	PreviewKitty
	PreviewSixel
	PreviewITerm2
	PreviewOff
)

// PreviewModeNames name the modes as the studio shows them.
var PreviewModeNames = [...]string{"half-block", "kitty", "sixel", "iTerm2", "off"}

// Graphical reports whether m is a terminal image protocol (not
// half-blocks, not off).
func (m PreviewMode) Graphical() bool {
	return m == PreviewKitty || m == PreviewSixel || m == PreviewITerm2
}

// InText reports whether m draws the image into the cells, so that text
// written over them erases it (sixel, iTerm2), unlike kitty's images,
// which lie above the text until deleted.
func (m PreviewMode) InText() bool { return m == PreviewSixel || m == PreviewITerm2 }

// ChoosePreview resolves config's preview mode: auto uses the protocol
// the terminal was detected to show (see DetectGraphics), half-blocks
// where none.
func ChoosePreview(setting string, detected PreviewMode) PreviewMode {
	switch setting {
	case "kitty":
		return PreviewKitty
	case "sixel":
		return PreviewSixel
	case "iterm2":
		return PreviewITerm2
	case "halfblock":
		return PreviewHalfBlock
	case "off":
		return PreviewOff
	}
	return detected
}

// OfferedGraphics is the protocol p offers besides half-blocks: the one
// config.toml names, else the one detected (half-blocks: none).
func OfferedGraphics(setting string, detected PreviewMode) PreviewMode {
	if m := ChoosePreview(setting, detected); m.Graphical() {
		return m
	}
	return detected
}

// DetectGraphics is the image protocol the terminal shows, from its
// environment and whether its device attributes (DA1) list sixel: kitty
// in kitty, WezTerm and Ghostty; iTerm2's inline images in iTerm2; sixel
// in foot, mlterm, Windows Terminal, Konsole (22.04 on) and any terminal
// whose DA1 says so (xterm -ti vt340, and tmux built with sixel);
// half-blocks elsewhere. Inside tmux only DA1 counts: tmux answers it
// itself, and passes neither kitty nor iTerm2 images through.
func DetectGraphics(getenv func(string) string, da1Sixel bool) PreviewMode {
	if KittyWorks(getenv) {
		return PreviewKitty
	}
	if getenv("TMUX") == "" {
		term, prog := getenv("TERM"), getenv("TERM_PROGRAM")
		if prog == "iTerm.app" || getenv("LC_TERMINAL") == "iTerm2" {
			return PreviewITerm2
		}
		if konsole, err := strconv.Atoi(getenv("KONSOLE_VERSION")); err == nil && konsole >= 220400 {
			return PreviewSixel
		}
		if term == "foot" || strings.HasPrefix(term, "foot-") || term == "mlterm" || getenv("MLTERM") != "" || getenv("WT_SESSION") != "" {
			return PreviewSixel
		}
	}
	if da1Sixel {
		return PreviewSixel
	}
	return PreviewHalfBlock
}

// KittyWorks reports whether the kitty graphics protocol can show here:
// kitty, WezTerm or Ghostty, not inside tmux (which does not pass the
// images through).
func KittyWorks(getenv func(string) string) bool {
	if getenv("TMUX") != "" {
		return false
	}
	term, prog := getenv("TERM"), getenv("TERM_PROGRAM")
	return term == "xterm-kitty" || getenv("KITTY_WINDOW_ID") != "" || prog == "WezTerm" || prog == "ghostty" || term == "xterm-ghostty"
}

// NextMode is the preview mode p switches to: half-blocks, the protocol
// offered (if any), off.
func NextMode(m PreviewMode, offered PreviewMode) PreviewMode {
	switch {
	case m == PreviewHalfBlock && offered.Graphical():
		return offered
	case m == PreviewOff:
		return PreviewHalfBlock
	}
	return PreviewOff
}

// RenderHalfBlocks draws img into cols×rows cells, two pixels per cell
// (upper half block: foreground is the top pixel, background the bottom
// one). Without colour support it falls back to a luminance ramp, so the
// output is deterministic in tests.
func RenderHalfBlocks(img image.Image, cols, rows int, profile termenv.Profile) string {
	if cols <= 0 || rows <= 0 {
		return ""
	}
	// Fit only scales down: an image that fits is drawn at its real size
	// (a pixel per cell across, two per cell down).
	fitted := imaging.Fit(img, cols, rows*2, imaging.Box)
	b := fitted.Bounds()
	var sb strings.Builder
	for y := 0; y < rows*2; y += 2 {
		if y > 0 {
			sb.WriteByte('\n')
		}
		for x := 0; x < cols; x++ {
			if x >= b.Dx() || y >= b.Dy() {
				if x == b.Dx() && y < b.Dy() && profile != termenv.Ascii {
					sb.WriteString("\x1b[0m") // the padding is not the last pixel's colour
				}
				sb.WriteByte(' ')
				continue
			}
			top := color.NRGBAModel.Convert(fitted.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			bot := top
			if y+1 < b.Dy() {
				bot = color.NRGBAModel.Convert(fitted.At(b.Min.X+x, b.Min.Y+y+1)).(color.NRGBA)
			}
			writeCell(&sb, top, bot, profile)
		}
		if profile != termenv.Ascii {
			sb.WriteString("\x1b[0m")
		}
	}
	return sb.String()
}

const ramp = " .:-=+*#%@"

func writeCell(sb *strings.Builder, top, bot color.NRGBA, profile termenv.Profile) {
	if profile == termenv.Ascii {
		l := (luma(top) + luma(bot)) / 2
		sb.WriteByte(ramp[min(len(ramp)-1, int(l*float64(len(ramp))))])
		return
	}
	fg := profile.Color(hexColor(top))
	bg := profile.Color(hexColor(bot))
	sb.WriteString(termenv.CSI + fg.Sequence(false) + "m" + termenv.CSI + bg.Sequence(true) + "m▀")
}

func luma(c color.NRGBA) float64 {
	a := float64(c.A) / 255
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255 * a
}

func hexColor(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// PreviewScale is the share of the image's size the half-block preview
// shows it at (1 when it fits).
func PreviewScale(img image.Image, cols, rows int) float64 {
	b := img.Bounds()
	if b.Dx() == 0 || b.Dy() == 0 {
		return 1
	}
	return min(1, float64(cols)/float64(b.Dx()), float64(rows*2)/float64(b.Dy()))
}

// KittyImage returns the APC sequences that transmit img as PNG and place
// it at (row, col) within cols×rows cells, keeping its aspect ratio,
// without moving the cursor, with replies suppressed (q=2) so nothing
// arrives on stdin. With the cell size known, the PNG is scaled (down
// only) to the pixel box it is drawn at and placed at that natural size:
// the terminal scales nothing. Without it, the box is computed for cells
// twice as high as wide and both its columns and rows are given (a
// placement naming only one side leaves the other to the terminal, which
// drew a 300×300 GIF 774×300 px).
func KittyImage(id int, img image.Image, row, col, cols, rows int, cell CellSize) string {
	box := FitImage(img.Bounds().Dx(), img.Bounds().Dy(), cols, rows, cell)
	var buf bytes.Buffer
	size := ""
	if box.Known {
		png.Encode(&buf, scaleTo(img, box.PW, box.PH))
	} else {
		png.Encode(&buf, img)
		size = fmt.Sprintf("c=%d,r=%d,", box.Cols, box.Rows)
	}
	data := base64.StdEncoding.EncodeToString(buf.Bytes())
	var sb strings.Builder
	sb.WriteString("\x1b7") // save cursor
	fmt.Fprintf(&sb, "\x1b[%d;%dH", row+1, col+1)
	const chunk = 4096
	for i := 0; i < len(data); i += chunk {
		end := min(i+chunk, len(data))
		more := 0
		if end < len(data) {
			more = 1
		}
		if i == 0 {
			fmt.Fprintf(&sb, "\x1b_Ga=T,f=100,q=2,C=1,i=%d,%sm=%d;%s\x1b\\", id, size, more, data[i:end])
		} else {
			fmt.Fprintf(&sb, "\x1b_Gm=%d,q=2;%s\x1b\\", more, data[i:end])
		}
	}
	sb.WriteString("\x1b8") // restore cursor
	return sb.String()
}

// KittyDelete removes an image and its placements from the terminal.
func KittyDelete(id int) string { return fmt.Sprintf("\x1b_Ga=d,d=I,i=%d,q=2\x1b\\", id) }

// ColorProfile is the output's colour support (lipgloss knows it).
func ColorProfile() termenv.Profile { return lipgloss.ColorProfile() }
