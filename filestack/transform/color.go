package transform

import (
	"image/color"
	"strconv"
	"strings"
)

// namedColors holds the CSS/ImageMagick names fsdeck understands; grayN
// (0–100) is handled separately.
var namedColors = map[string]color.NRGBA{
	"white": {255, 255, 255, 255}, "black": {0, 0, 0, 255}, "transparent": {0, 0, 0, 0},
	"red": {255, 0, 0, 255}, "green": {0, 128, 0, 255}, "lime": {0, 255, 0, 255}, "blue": {0, 0, 255, 255},
	"yellow": {255, 255, 0, 255}, "cyan": {0, 255, 255, 255}, "aqua": {0, 255, 255, 255},
	"magenta": {255, 0, 255, 255}, "fuchsia": {255, 0, 255, 255}, "gray": {128, 128, 128, 255},
	"grey": {128, 128, 128, 255}, "silver": {192, 192, 192, 255}, "maroon": {128, 0, 0, 255},
	"olive": {128, 128, 0, 255}, "navy": {0, 0, 128, 255}, "purple": {128, 0, 128, 255},
	"teal": {0, 128, 128, 255}, "orange": {255, 165, 0, 255}, "pink": {255, 192, 203, 255},
	"brown": {165, 42, 42, 255}, "gold": {255, 215, 0, 255}, "snow": {255, 250, 250, 255},
	"ivory": {255, 255, 240, 255}, "beige": {245, 245, 220, 255}, "khaki": {240, 230, 140, 255},
	"salmon": {250, 128, 114, 255}, "tomato": {255, 99, 71, 255}, "coral": {255, 127, 80, 255},
	"violet": {238, 130, 238, 255}, "indigo": {75, 0, 130, 255}, "crimson": {220, 20, 60, 255},
}

// ParseColor reads a Filestack colour: 3-, 6- or 8-digit hex (RRGGBBAA)
// without '#', or a name such as white, transparent or gray50.
func ParseColor(s string) (color.NRGBA, bool) {
	l := strings.ToLower(strings.TrimPrefix(s, "#"))
	if c, ok := namedColors[l]; ok {
		return c, true
	}
	for _, pre := range []string{"gray", "grey"} {
		if rest, ok := strings.CutPrefix(l, pre); ok && rest != "" {
			n, err := strconv.Atoi(rest)
			if err != nil || n < 0 || n > 100 {
				return color.NRGBA{}, false
			}
			v := uint8(n * 255 / 100)
			return color.NRGBA{v, v, v, 255}, true
		}
	}
	switch len(l) {
	case 3:
		l = string([]byte{l[0], l[0], l[1], l[1], l[2], l[2]})
		fallthrough
	case 6:
		l += "ff"
		fallthrough
	case 8:
		n, err := strconv.ParseUint(l, 16, 32)
		if err != nil {
			return color.NRGBA{}, false
		}
		return color.NRGBA{uint8(n >> 24), uint8(n >> 16), uint8(n >> 8), uint8(n)}, true
	}
	return color.NRGBA{}, false
}

// IsColor reports whether s is a colour ParseColor accepts.
func IsColor(s string) bool {
	_, ok := ParseColor(s)
	return ok
}
