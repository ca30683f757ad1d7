package gyazo

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
	_ "golang.org/x/image/webp" // decode WebP uploads for their thumbnails

	"github.com/fsdeck/fsdeck/filestack/emulator/contentsec"
)

// thumbBox is the box thumbnails fit in; Gyazo's documented thumb_url
// is https://i.gyazo.com/thumb/180/…, so 180 pixels.
const thumbBox = 180

// maxDecodePixels bounds the images the emulator resizes (16 megapixels);
// larger ones are answered with the original, as one already within the
// box is.
const maxDecodePixels = 16 << 20

// serveThumb answers thumb_url with a thumbnail made on first use and
// kept beside the image (JPEG for a JPEG, PNG otherwise), or the original
// when it fits the box already or is too large to decode.
func (e *Emulator) serveThumb(w http.ResponseWriter, r *http.Request, s *stored) {
	path, mime, err := e.thumb(r.Context(), s)
	if err != nil {
		e.store.Serve(w, r, s.ID, s.Mime)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		e.store.Serve(w, r, s.ID, s.Mime)
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

// errOriginal means the thumbnail would be the original image.
var errOriginal = errors.New("the original image serves as the thumbnail")

func (e *Emulator) thumb(ctx context.Context, s *stored) (string, string, error) {
	mime := "image/png"
	if s.Mime == "image/jpeg" {
		mime = "image/jpeg"
	}
	path := e.store.Derived(s.ID, "thumb")
	if _, err := os.Stat(path); err == nil {
		return path, mime, nil
	}
	f, err := e.store.Open(s.ID)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	switch {
	case err != nil:
		return "", "", err
	case cfg.Width <= thumbBox && cfg.Height <= thumbBox, int64(cfg.Width)*int64(cfg.Height) > maxDecodePixels:
		return "", "", errOriginal
	}
	release, ok := e.opts.Memory.Take(ctx, int64(cfg.Width)*int64(cfg.Height)*4+thumbBox*thumbBox*4)
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
	dst := imaging.Fit(src, thumbBox, thumbBox, imaging.Lanczos)
	path, err = e.store.WriteDerived(s.ID, "thumb", func(w io.Writer) error {
		if mime == "image/jpeg" {
			return jpeg.Encode(w, dst, &jpeg.Options{Quality: 85})
		}
		return png.Encode(w, dst)
	})
	return path, mime, err
}
