package text

import (
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// QR draws s as a QR code in half-block characters, two rows of modules
// per line, with the standard quiet zone of four modules around it. Light
// modules are drawn (█ ▀ ▄) and dark ones left blank, as qrencode -t UTF8
// does: on a terminal with a dark background, which colour draws a half
// block with its foreground, that reads as dark on light. colour sets
// white on black explicitly (SGR 97;40) for each line, so the code reads
// the same on a light background; pass it for a terminal only.
//
// The encoder is github.com/skip2/go-qrcode, at recovery level M (15%),
// so a phone camera reads it off a screen; s that does not fit a QR code
// (about 2,300 bytes at that level) is an error.
func QR(s string, colour bool) (string, error) {
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap() // true: dark
	var b strings.Builder
	for y := 0; y < len(bits); y += 2 {
		if colour {
			b.WriteString("\x1b[97;40m")
		}
		for x := range bits[y] {
			top := !bits[y][x]
			bottom := y+1 < len(bits) && !bits[y+1][x]
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		if colour {
			b.WriteString("\x1b[0m")
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}
