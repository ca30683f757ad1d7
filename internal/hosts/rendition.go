package hosts

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

// maxRenditionPixels bounds the images an emulator resizes (16
// megapixels, 64 MiB decoded); larger ones are answered with the original,
// as a rendition of one already within its box is.
const maxRenditionPixels = 16 << 20

// errOriginal means a rendition would be the original image.
var errOriginal = errors.New("the original image serves as the rendition")

// ServeRendition answers with the image id (of type mime) fitted in a
// box×box square: a copy made on first use under mem's bound and kept
// beside the image as its derived file kind (JPEG for a JPEG, PNG
// otherwise), or the original when it fits the box already or is too
// large to decode. The thumbnails and medium sizes of the hosting
// emulators (ImgBB, Gyazo) are served this way.
func (s *Store) ServeRendition(w http.ResponseWriter, r *http.Request, mem *Memory, id, mime, kind string, box int) {
	path, typ, err := s.rendition(r.Context(), mem, id, mime, kind, box)
	if err != nil {
		s.Serve(w, r, id, mime)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		s.Serve(w, r, id, mime)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", typ)
	contentsec.Headers(w.Header(), typ)
	http.ServeContent(w, r, "", info.ModTime(), f)
}

// rendition returns the kept rendition's path and type, making it when
// missing.
func (s *Store) rendition(ctx context.Context, mem *Memory, id, mime, kind string, box int) (string, string, error) {
	typ := "image/png"
	if mime == "image/jpeg" {
		typ = "image/jpeg"
	}
	path := s.Derived(id, kind)
	if _, err := os.Stat(path); err == nil {
		return path, typ, nil
	}
	f, err := s.Open(id)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	switch {
	case err != nil:
		return "", "", err
	case cfg.Width <= box && cfg.Height <= box, int64(cfg.Width)*int64(cfg.Height) > maxRenditionPixels:
		return "", "", errOriginal
	}
	// The decoded source and the result are held while resizing.
	release, ok := mem.Take(ctx, int64(cfg.Width)*int64(cfg.Height)*4+int64(box*box*4))
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
	path, err = s.WriteDerived(id, kind, func(w io.Writer) error {
		if typ == "image/jpeg" {
			return jpeg.Encode(w, dst, &jpeg.Options{Quality: 85})
		}
		return png.Encode(w, dst)
	})
	return path, typ, err
}
