package emulator

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"io"
)

// What decoding and encoding hold, per format, for the planner (plan.go).
// The figures follow the decoders and encoders the emulator uses (Go's
// image/jpeg, image/png, image/gif, golang.org/x/image, nativewebp) and
// were checked against measured peaks (TestPricesCoverWhatChainsHold).

// headerOf reads what a source costs to decode from its header: the
// decoded image's bytes as the decoder returns it, the decoder's working
// memory besides, and whether its pixels can be transparent. head is the
// start of the file (for what image.DecodeConfig does not tell: a JPEG's
// sampling and progressive coding, a PNG's interlacing).
func headerOf(cfg image.Config, format string, size int64, head []byte) srcHeader {
	d := dims{int64(cfg.Width), int64(cfg.Height)}
	h := srcHeader{size: size, dims: d, format: format, ok: true}
	px := d.px()
	switch format {
	case "jpeg":
		f := jpegLayout(head, d)
		samples, comps, progressive := f.samples, f.comps, f.progressive
		h.jpeg, h.orient, h.reducible = f, jpegOrientation(head), reducibleJPEG(cfg, format)
		h.pixel, h.opaque = samples, true
		if comps == 4 {
			// CMYK/YCCK: decoded to YCbCr and black planes, then into
			// an image.CMYK.
			h.pixel, h.work = 4*px, 4*px
		}
		if progressive {
			// Every block's coefficients are kept until the last scan:
			// 64 int32s for 64 samples.
			h.work += 4 * samples
		}
	case "png":
		h.pixel, h.opaque = px*depthOf(cfg.ColorModel), opaqueModel(cfg.ColorModel)
		if pngInterlaced(head) {
			h.work = h.pixel // each pass is decoded apart, then merged
		}
	case "gif":
		h.pixel = px // the first frame, paletted
	case "webp":
		// Lossy decodes to YCbCr (with an alpha plane), lossless to
		// NRGBA through a uint32 copy.
		h.pixel, h.work = 4*px, 4*px
	default: // bmp, tiff and anything else
		h.pixel = px * max(4, depthOf(cfg.ColorModel))
		h.work = h.pixel
	}
	h.deep = depthOf(cfg.ColorModel) == 8
	return h
}

// depthOf is the bytes a decoded pixel takes in a color model.
func depthOf(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.NRGBA64Model, color.RGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// opaqueModel reports color models without transparency (a PNG's gray
// and truecolor types decode to these).
func opaqueModel(m color.Model) bool {
	return m == color.GrayModel || m == color.Gray16Model || m == color.RGBAModel || m == color.RGBA64Model
}

// jpegFrame is what a JPEG's frame header tells the planner: the decoded
// samples (a YCbCr image with its chroma subsampling, or one gray plane),
// the number of components, whether it is progressive, and the largest
// sampling factors (an MCU is 8·hmax × 8·vmax pixels).
type jpegFrame struct {
	samples     int64
	comps       int
	progressive bool
	hmax, vmax  int64
}

// reducedBytes bounds the pixels of the frame decoded reduced by denom
// (jpegscale): every component at most as large as the luma, which is
// 8/denom pixels a block over whole MCUs (CMYK ones are not decoded
// reduced: reducibleJPEG).
func (f jpegFrame) reducedBytes(d dims, denom int64) (pixel, work int64) {
	mw, mh := 8*max(1, f.hmax), 8*max(1, f.vmax)
	pw := (d.w + mw - 1) / mw * mw / denom
	ph := (d.h + mh - 1) / mh * mh / denom
	pixel = int64(max(1, f.comps)) * pw * ph
	if f.progressive {
		work += 4 * f.samples // every coefficient, at full size, until the last scan
	}
	return pixel, work
}

// jpegLayout reads a JPEG's frame header. Without a readable header it
// assumes the dearest common case, 4:4:4 progressive.
func jpegLayout(head []byte, d dims) jpegFrame {
	// Blocks are 8×8 in every component: the image is padded to whole
	// MCUs (up to 16 pixels a side).
	pw, ph := (d.w+15)/16*16, (d.h+15)/16*16
	fallback := jpegFrame{samples: 3 * pw * ph, comps: 3, progressive: true, hmax: 2, vmax: 2}
	r := bytes.NewReader(head)
	var m [2]byte
	if _, err := io.ReadFull(r, m[:]); err != nil || m != [2]byte{0xff, 0xd8} {
		return fallback
	}
	for {
		if _, err := io.ReadFull(r, m[:1]); err != nil {
			return fallback
		}
		if m[0] != 0xff {
			continue
		}
		if _, err := io.ReadFull(r, m[1:]); err != nil {
			return fallback
		}
		marker := m[1]
		if marker == 0xff || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7) {
			if marker == 0xff {
				r.UnreadByte()
			}
			continue
		}
		var l uint16
		if err := binary.Read(r, binary.BigEndian, &l); err != nil || l < 2 {
			return fallback
		}
		seg := make([]byte, l-2)
		if _, err := io.ReadFull(r, seg); err != nil {
			return fallback
		}
		if marker < 0xc0 || marker > 0xcf || marker == 0xc4 || marker == 0xc8 || marker == 0xcc {
			continue
		}
		// SOFn: precision, height, width, components (id, HV, table).
		if len(seg) < 6 {
			return fallback
		}
		comps := int(seg[5])
		if comps == 0 || len(seg) < 6+3*comps {
			return fallback
		}
		hmax, vmax := int64(1), int64(1)
		for i := 0; i < comps; i++ {
			hv := seg[6+3*i+1]
			hmax, vmax = max(hmax, int64(hv>>4)), max(vmax, int64(hv&15))
		}
		var samples int64
		for i := 0; i < comps; i++ {
			hv := seg[6+3*i+1]
			samples += pw * int64(max(1, hv>>4)) / hmax * ph * int64(max(1, hv&15)) / vmax
		}
		return jpegFrame{samples: samples, comps: comps, progressive: marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce,
			hmax: hmax, vmax: vmax}
	}
}

// pngInterlaced reads the interlace method from a PNG's IHDR.
func pngInterlaced(head []byte) bool {
	// signature (8), length (4), "IHDR" (4), width, height (8), depth,
	// color type, compression, filter (4), interlace (1).
	return len(head) > 28 && string(head[12:16]) == "IHDR" && head[28] == 1
}

// headSize is how much of a source headerOf reads: enough for the JPEG
// segments before the frame header (EXIF and ICC profiles can be large).
const headSize = 128 << 10

// outputBound is the most an encoded result of p pixels may take: what
// the buffer for it is sized to, and priced at. JPEG grows with quality
// (noise at 90 takes about 2 bytes a pixel); PNG is at most the raw
// pixels (3 or 4 bytes, 8 for 16-bit) plus a filter byte a row and
// deflate's stored blocks; GIF's LZW codes of up to 12 bits per 8-bit
// index; lossless WebP at most the raw pixels.
func outputBound(format string, d dims, opaque, deep bool, quality int) int64 {
	p := d.px()
	switch format {
	case "jpg":
		switch {
		case quality <= 90:
			return 2*p + 64<<10
		case quality <= 95:
			return 3*p + 64<<10
		}
		return 5*p + 64<<10
	case "png":
		bpp := int64(4)
		if opaque {
			bpp = 3
		}
		if deep {
			bpp *= 2
		}
		return bpp*p + d.h + p*bpp/1000 + 64<<10
	case "gif":
		return p*3/2 + 64<<10
	}
	return 4*p + p/100 + 64<<10 // webp
}

// encodeWork is what an encoder holds besides the image and its output.
// jpg: a copy flattened onto the background when the image may have
// transparent pixels; png: deflate's state and row buffers; gif: the paletted copy;
// webp (nativewebp): the pixels as []color.NRGBA, the predictor's deltas,
// the LZ77 chain ([]int a pixel) and the codes it emits (up to 4 ints a
// pixel), and its own buffer of the output, which doubles as it grows and
// is copied out at the end.
func encodeWork(format string, d dims, opaque, deep bool, quality int) int64 {
	p := d.px()
	switch format {
	case "jpg":
		if opaque {
			return 0
		}
		return 4 * p
	case "png":
		// Go's encoder reads images other than NRGBA, RGBA, gray and
		// paletted ones a pixel at a time, through an allocation each:
		// garbage at the pace the collector keeps up with.
		return 1<<20 + p/8
	case "gif":
		return p + 1<<20
	}
	return (4+4+8+32)*p + 2*outputBound("webp", d, opaque, deep, quality)
}
