package imgbb

import (
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp" // decode WebP uploads for their renditions

	"github.com/fsdeck/fsdeck/filestack/emulator/contentsec"
)

// Renditions are the emulator's resized copies of an image, the box each
// fits in: ImgBB documents no sizes, and its replies show a small "thumb"
// and a "medium" one, so these are the emulator's choice.
var renditions = map[string]int{"thumb": 180, "medium": 640}

// maxDecodePixels bounds the images the emulator resizes (16 megapixels,
// 64 MiB decoded); larger ones are answered with the original image, as a
// rendition of one already within its box is.
const maxDecodePixels = 16 << 20

// errOriginal means a rendition would be the original image.
var errOriginal = errors.New("the original image serves as the rendition")

// serveRendition answers a thumb or medium URL: the resized copy, made on
// first use and kept beside the image, or the original when it is small
// enough already (or too large to decode within the memory bound).
func (e *Emulator) serveRendition(w http.ResponseWriter, r *http.Request, img *storedImage, kind string) {
	path, mime, err := e.rendition(r.Context(), img, kind)
	if err != nil {
		e.store.Serve(w, r, img.ID, img.Mime)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		e.store.Serve(w, r, img.ID, img.Mime)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime)
	contentsec.Headers(w.Header(), mime)
	http.ServeContent(w, r, "", info.ModTime(), f)
}

// rendition returns the cached rendition's path and type, making it when
// missing.
func (e *Emulator) rendition(ctx context.Context, img *storedImage, kind string) (string, string, error) {
	mime := "image/png"
	if img.Mime == "image/jpeg" {
		mime = "image/jpeg"
	}
	path := e.store.Derived(img.ID, kind)
	if _, err := os.Stat(path); err == nil {
		return path, mime, nil
	}
	f, err := e.store.Open(img.ID)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	box := renditions[kind]
	switch {
	case err != nil:
		return "", "", err
	case cfg.Width <= box && cfg.Height <= box, int64(cfg.Width)*int64(cfg.Height) > maxDecodePixels:
		return "", "", errOriginal
	}
	// The decoded source and the result are held while resizing.
	release, ok := e.opts.Memory.Take(ctx, int64(cfg.Width)*int64(cfg.Height)*4+int64(box*box*4))
	defer release()
	if !ok {
		return "", "", ctx.Err()
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", "", err
	}
	src, err := imaging.Decode(f, imaging.AutoOrientation(true))
	if err != nil {
		return "", "", err
	}
	dst := imaging.Fit(src, box, box, imaging.Lanczos)
	path, err = e.store.WriteDerived(img.ID, kind, func(w io.Writer) error {
		if mime == "image/jpeg" {
			return jpeg.Encode(w, dst, &jpeg.Options{Quality: 85})
		}
		return png.Encode(w, dst)
	})
	return path, mime, err
}

// renditionKind reports whether kind names a rendition.
func renditionKind(kind string) bool {
	_, ok := renditions[kind]
	return ok
}
