package emulator

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/HugoSmits86/nativewebp"
	"github.com/disintegration/imaging"

	"github.com/fsdeck/fsdeck/filestack/emulator/jpegscale"
	"github.com/fsdeck/fsdeck/filestack/transform"

	_ "golang.org/x/image/bmp"  // decode BMP sources
	_ "golang.org/x/image/tiff" // decode TIFF sources
	_ "golang.org/x/image/webp" // decode WebP sources
)

// encodeOpts collects the tasks that only change how the result is written.
type encodeOpts struct {
	format     string // jpg, png, gif, webp; "" = keep the input's
	quality    int
	background color.NRGBA
	hasBG      bool
}

// state is the chain's working value: raw bytes until an image task needs
// pixels, then a decoded image.
type state struct {
	in   *input
	img  image.Image
	enc  encodeOpts
	srcF string // decoded source format: jpeg, png, gif, webp, bmp, tiff
	cr   creds
	webp bool // auto_image answers WebP (admission's choice)
	// load is set while img is a JPEG decoded reduced (shrinkload.go),
	// until the resize it serves; step is the index of the task running.
	load *loadPlan
	step int
}

// pipeline applies the chain's tasks left to right; webp says whether
// auto_image answers WebP.
func (s *Server) pipeline(r *http.Request, in *input, c transform.Chain, cr creds, webp bool) (*result, error) {
	st := &state{in: in, enc: encodeOpts{quality: 90}, cr: cr, webp: webp}
	for i, t := range c.Tasks {
		if err := stopped(r.Context()); err != nil {
			return nil, err
		}
		st.step = i
		switch t.Name {
		case "store":
			return s.storeTask(r, st, t)
		case "imagesize":
			if err := s.decode(st, c); err != nil {
				return nil, err
			}
			b := st.img.Bounds()
			return jsonResult(map[string]int{"width": b.Dx(), "height": b.Dy()})
		case "metadata":
			if in.handle == "" {
				return nil, errorf(http.StatusBadRequest, "the metadata task needs a handle as source")
			}
			return s.metadataTaskResult(st.cr, in.handle, t)
		case "fallback":
		default:
			if err := s.applyTask(r, st, c, t); err != nil {
				return nil, err
			}
		}
	}
	if err := stopped(r.Context()); err != nil {
		return nil, err
	}
	return s.encodeResult(st)
}

func (s *Server) applyTask(r *http.Request, st *state, c transform.Chain, t transform.Task) error {
	switch t.Name {
	case "quality":
		st.enc.quality = t.Int("value", 90)
		return s.decode(st, c)
	case "output":
		return applyOutput(st, t, s, c)
	case "compress", "no_metadata":
		return s.decode(st, c)
	case "auto_image":
		if st.webp {
			st.enc.format = "webp"
		}
		return s.decode(st, c)
	}
	if err := s.decode(st, c); err != nil {
		return err
	}
	if err := stopped(r.Context()); err != nil {
		return err
	}
	var err error
	switch {
	case st.load != nil:
		st.img, err = applyReduced(st, t)
	case t.Name == "watermark":
		st.img, err = s.watermark(r, st.cr, st.img, t)
	default:
		st.img, err = applyImageTask(st.img, t)
	}
	if err == nil && st.img.Bounds().Dx()*st.img.Bounds().Dy() > int(s.opts.MaxImagePixels) {
		err = errorf(http.StatusBadRequest, "result of `%s` exceeds %d pixels", t.Name, s.opts.MaxImagePixels)
	}
	return err
}

func applyOutput(st *state, t transform.Task, s *Server, c transform.Chain) error {
	if f := strings.ToLower(t.String("format", "")); f != "" {
		switch f {
		case "jpg", "jpeg", "pjpg":
			st.enc.format = "jpg"
		case "png", "gif", "webp":
			st.enc.format = f
		default:
			return errorf(http.StatusBadRequest, "output format `%s` needs a document engine, which the fsdeck emulator does not implement", f)
		}
	}
	if q := t.String("quality", ""); q != "" && q != "input" {
		st.enc.quality = t.Int("quality", 90)
	}
	if bg := t.String("background", ""); bg != "" {
		st.enc.background, st.enc.hasBG = transform.ParseColor(bg)
	}
	return s.decode(st, c)
}

// decode turns the source bytes into pixels once, refusing decompression
// bombs by reading the header first.
func (s *Server) decode(st *state, c transform.Chain) error {
	if st.img != nil {
		return nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(st.in.data))
	if err != nil {
		return errorf(http.StatusBadRequest, "source is not an image the emulator can process (%s)", st.in.mimetype)
	}
	if int64(cfg.Width)*int64(cfg.Height) > s.opts.MaxImagePixels {
		return errorf(http.StatusBadRequest, "image is too large to process: %d×%d exceeds %d pixels",
			cfg.Width, cfg.Height, s.opts.MaxImagePixels)
	}
	if p := sourceLoadPlan(c, cfg, format, st.in.data); p.denom > 1 {
		img, err := jpegscale.Decode(bytes.NewReader(st.in.data), p.denom)
		if err != nil {
			return errorf(http.StatusBadRequest, "could not decode the %s image: %v", format, err)
		}
		st.img, st.srcF, st.load = orientImage(img, p.orient), format, &p
		return nil
	}
	img, err := imaging.Decode(bytes.NewReader(st.in.data), imaging.AutoOrientation(wantsEXIFRotation(c)))
	if err != nil {
		return errorf(http.StatusBadRequest, "could not decode the %s image: %v", format, err)
	}
	st.img, st.srcF = img, format
	return nil
}

// sourceLoadPlan is how chain c decodes a source (cfg and format as
// image.DecodeConfig tells them): reduced, for a JPEG that allows it,
// from what its first headSize bytes say, as the budget priced it.
func sourceLoadPlan(c transform.Chain, cfg image.Config, format string, data []byte) loadPlan {
	if !reducibleJPEG(cfg, format) {
		return loadPlan{denom: 1, orient: 1}
	}
	o := 1
	if wantsEXIFRotation(c) {
		o = jpegOrientation(data[:min(len(data), headSize)])
	}
	return planLoad(c, cfg.Width, cfg.Height, o)
}

// applyReduced runs a task on an image decoded reduced, up to the resize
// the reduction serves: crops cut the reduced pixels planned for them,
// the resize makes the size the full-size image would have given, and
// flips and right-angle rotations run as they are.
func applyReduced(st *state, t transform.Task) (image.Image, error) {
	p := st.load
	switch {
	case st.step == p.resizeAt:
		st.load = nil
		return resizeTo(st.img, t, t.String("fit", "clip"), p.target.X, p.target.Y), nil
	case t.Name == "crop":
		return imaging.Crop(st.img, p.crops[st.step].Add(st.img.Bounds().Min)), nil
	}
	return applyImageTask(st.img, t)
}

func wantsEXIFRotation(c transform.Chain) bool {
	t, ok := c.Task("rotate")
	return ok && (t.String("deg", "") == "exif" || t.Bool("exif", false))
}

// encodeResult writes the image (or passes the bytes through when no task
// needed pixels).
func (s *Server) encodeResult(st *state) (*result, error) {
	if st.img == nil {
		return &result{body: st.in.data, mimetype: st.in.mimetype, filename: st.in.filename, modtime: s.opts.Now(),
			srcType: st.in.mimetype, srcSize: int64(len(st.in.data))}, nil
	}
	format := st.enc.format
	if format == "" {
		format = map[string]string{"jpeg": "jpg", "png": "png", "gif": "gif", "webp": "webp"}[st.srcF]
		if format == "" {
			format = "png"
		}
	}
	// Sized to the most the result can take, so the buffer never grows
	// (a bytes.Buffer that doubles holds up to three times the result
	// while it copies); the planner priced that much.
	var buf bytes.Buffer
	b := st.img.Bounds()
	o, deep := opaque(st.img), deepImage(st.img)
	buf.Grow(int(outputBound(format, dims{int64(b.Dx()), int64(b.Dy())}, o, deep, st.enc.quality)))
	if err := encodeImage(&buf, st.img, format, st.enc); err != nil {
		return nil, errorf(http.StatusInternalServerError, "encoding %s: %v", format, err)
	}
	mt := map[string]string{"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}[format]
	return &result{body: buf.Bytes(), mimetype: mt, filename: renameExt(st.in.filename, format), modtime: s.opts.Now(),
		srcType: st.in.mimetype, srcSize: int64(len(st.in.data))}, nil
}

func encodeImage(buf *bytes.Buffer, img image.Image, format string, enc encodeOpts) error {
	switch format {
	case "jpg":
		if !opaque(img) {
			bg := color.NRGBA{255, 255, 255, 255}
			if enc.hasBG {
				bg = enc.background
			}
			img = flatten(img, bg)
		}
		return imaging.Encode(buf, img, imaging.JPEG, imaging.JPEGQuality(enc.quality))
	case "png":
		return imaging.Encode(buf, img, imaging.PNG)
	case "gif":
		return gif.Encode(buf, img, &gif.Options{NumColors: 256})
	case "webp":
		// Lossless (VP8L) in pure Go, so the binary stays static; quality
		// does not apply to a lossless encoding and is ignored.
		return nativewebp.Encode(buf, img, nil)
	}
	return fmt.Errorf("unknown format %s", format)
}

// flatten composites onto a background for formats without alpha, in
// one new image (RGBA, which draw composites NRGBA onto quickly and the
// JPEG encoder reads directly).
func flatten(img image.Image, bg color.NRGBA) image.Image {
	b := img.Bounds()
	canvas := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	draw.Draw(canvas, canvas.Bounds(), img, b.Min, draw.Over)
	return canvas
}

// opaque reports whether an image has no transparent pixel; a JPEG
// needs no flattening then.
func opaque(img image.Image) bool {
	o, ok := img.(interface{ Opaque() bool })
	return ok && o.Opaque()
}

// deepImage reports 16 bits a channel.
func deepImage(img image.Image) bool {
	switch img.(type) {
	case *image.NRGBA64, *image.RGBA64, *image.Gray16:
		return true
	}
	return false
}

func renameExt(name, format string) string {
	if name == "" {
		return ""
	}
	ext := path.Ext(name)
	cur := strings.TrimPrefix(strings.ToLower(ext), ".")
	if cur == format || (cur == "jpeg" && format == "jpg") {
		return name
	}
	return strings.TrimSuffix(name, ext) + "." + format
}

// storeTask saves the chain's current value as a new file and answers JSON
// with both handle and url (§2c).
func (s *Server) storeTask(r *http.Request, st *state, t transform.Task) (*result, error) {
	res, err := s.encodeResult(st)
	if err != nil {
		return nil, err
	}
	data := res.body
	opts := storeOpts{Filename: t.String("filename", res.filename), Mimetype: res.mimetype,
		Location: t.String("location", ""), Path: t.String("path", ""), Container: t.String("container", ""),
		Region: t.String("region", ""), Access: t.String("access", "")}
	if t.Bool("base64decode", false) {
		opts.Base64 = true
	}
	if !st.cr.secret {
		a := access{call: "store", size: int64(len(data)), path: opts.Path, container: opts.Container}
		if err := s.authorize(st.cr.policy, st.cr.signature, s.opts.SecurityRequired, a); err != nil {
			return nil, err
		}
	}
	m, err := s.storeBytes(data, opts)
	if err != nil {
		return nil, err
	}
	m.SourceURL = ""
	out := s.storeResponse(r, m)
	out["handle"] = m.Handle
	if ws := t.String("workflows", ""); ws != "" {
		out["workflows"] = ws
	}
	return jsonResult(out)
}

func (s *Server) storeBytes(data []byte, opts storeOpts) (fileMeta, error) {
	var body = bytes.NewReader(data)
	tmp, size, head, err := s.store.writeTemp(body, s.opts.MaxUploadSize)
	if err != nil {
		return fileMeta{}, err
	}
	m, err := s.store.commit(tmp, size, head, opts.meta())
	if err != nil {
		// commit leaves the temp file to its caller when it fails.
		os.Remove(tmp)
	}
	return m, err
}

// zipSources answers a zip archive of the given sources; t holds the
// price of the stored ones and takes on the external ones' (zipItem).
func (s *Server) zipSources(r *http.Request, cr creds, items []string, t *ticket) (*result, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	used := map[string]int{}
	var total int64
	for _, it := range items {
		in, err := s.zipItem(r, cr, it, t)
		if err != nil {
			return nil, err
		}
		total += int64(len(in.data))
		if total > s.opts.MaxProcessInput {
			return nil, errorf(http.StatusBadRequest, "zip sources exceed the %d-byte processing limit", s.opts.MaxProcessInput)
		}
		name := safeKeyName(in.filename)
		if name == "unnamed_file" && in.handle != "" {
			name = in.handle
		}
		if n := used[name]; n > 0 {
			ext := path.Ext(name)
			name = fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(name, ext), n, ext)
		}
		used[safeKeyName(in.filename)]++
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(in.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &result{body: buf.Bytes(), mimetype: "application/zip", filename: "archive.zip", modtime: s.opts.Now()}, nil
}

// zipItem reads one source of a zip. An external one reserves memory as
// it arrives, like any fetched source, then as much again for its share
// of the archive, as admitZip prices a stored one; t then holds both.
func (s *Server) zipItem(r *http.Request, cr creds, it string, t *ticket) (*input, error) {
	if !transform.IsExternal(it) {
		return s.openSource(r, cr, it)
	}
	rsv := &reservation{s: s}
	in, err := s.fetchSource(r, cr, it, rsv)
	if err == nil {
		err = rsv.settle(r.Context(), 2*int64(len(in.data)))
	}
	t.rsv.held += rsv.held
	return in, err
}
