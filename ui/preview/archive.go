package preview

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Caps of an archive's listing: entries listed, and (for tar, read from
// the start) bytes read before the listing stops.
const (
	archiveListed   = 1000
	archiveTarBytes = 256 << 20
)

// isArchive is a format listArchive reads: zip, tar, gzip (a tar inside
// or not).
func isArchive(mt *mimetype.MIME) bool {
	return mt.Is("application/zip") || mt.Is("application/x-tar") || mt.Is("application/gzip")
}

// previewArchive lists an archive's entries (names sanitised, sizes,
// directories with a trailing /): a zip from its central directory, a tar
// or tar.gz header by header, up to archiveListed entries and
// archiveTarBytes read, stopping when ctx is cancelled.
func previewArchive(ctx context.Context, f *os.File, mt *mimetype.MIME, size int64) previewResult {
	kind := "zip"
	var lines []string
	var more bool
	var err error
	switch {
	case mt.Is("application/zip"):
		lines, more, err = listZip(ctx, f, size)
	case mt.Is("application/gzip"):
		kind = "tar.gz"
		var gz *gzip.Reader
		if gz, err = gzip.NewReader(f); err == nil {
			lines, more, err = listTar(ctx, gz)
			if err != nil && len(lines) == 0 {
				// A gzip that holds no tar is a compressed file.
				return previewBinaryOf(f, "gzip-compressed data", size)
			}
		}
	default:
		kind = "tar"
		lines, more, err = listTar(ctx, f)
	}
	if ctx.Err() != nil {
		return previewResult{}
	}
	info := fmt.Sprintf("archive · %s · %s", kind, uikit.FormatSize(size))
	entries := fmt.Sprintf("%d %s", len(lines), text.Plural(len(lines), "entry", "entries"))
	if err != nil && len(lines) == 0 {
		return previewError(kind + " archive: " + err.Error())
	}
	switch {
	case err != nil:
		info += fmt.Sprintf(" · first %s, then unreadable: %s", entries, text.Sanitize(err.Error()))
	case more:
		info += " · first " + entries
	default:
		info += " · " + entries
	}
	if len(lines) == 0 {
		lines = []string{"(empty archive)"}
	}
	return previewResult{kind: previewKindDir, info: info, lines: lines}
}

// entryLine is one listed entry: its size right-aligned, then its name.
func entryLine(name string, size int64, dir bool) string {
	name = text.Sanitize(name)
	if dir {
		return fmt.Sprintf("%9s  %s", "", strings.TrimSuffix(name, "/")+"/")
	}
	return fmt.Sprintf("%9s  %s", uikit.FormatSize(size), name)
}

func listZip(ctx context.Context, f *os.File, size int64) ([]string, bool, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return nil, false, err
	}
	var lines []string
	for _, e := range zr.File {
		if len(lines) == archiveListed {
			return lines, true, nil
		}
		if ctx.Err() != nil {
			return lines, false, nil
		}
		lines = append(lines, entryLine(e.Name, int64(e.UncompressedSize64), e.FileInfo().IsDir()))
	}
	return lines, false, nil
}

func listTar(ctx context.Context, r io.Reader) ([]string, bool, error) {
	counted := &countingReader{r: r}
	tr := tar.NewReader(counted)
	var lines []string
	for {
		if len(lines) == archiveListed || counted.n > archiveTarBytes {
			return lines, true, nil
		}
		if ctx.Err() != nil {
			return lines, false, nil
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return lines, false, nil
		}
		if err != nil {
			return lines, false, err
		}
		lines = append(lines, entryLine(h.Name, h.Size, h.Typeflag == tar.TypeDir))
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// previewBinaryOf is the hexdump of f's head, for a format listed as
// something it turned out not to be.
func previewBinaryOf(f *os.File, typ string, size int64) previewResult {
	head := make([]byte, previewHexBytes)
	n, _ := f.ReadAt(head, 0)
	return previewBinary(head[:n], typ, size)
}

// pdfTimeout bounds pdftoppm: a PDF it chokes on must not keep the
// preview (or a process) busy.
var pdfTimeout = 10 * time.Second

// previewPDF draws page one with pdftoppm (poppler) at the box's pixel
// size, and says so plainly when pdftoppm is not installed or fails.
func previewPDF(ctx context.Context, path string, size int64, r previewRequest) previewResult {
	info := "PDF · " + uikit.FormatSize(size)
	if r.lookPath == nil {
		return previewResult{kind: previewKindBinary, info: info, lines: []string{"page one is shown when pdftoppm (poppler-utils) is installed"}}
	}
	bin, err := r.lookPath("pdftoppm")
	if err != nil {
		return previewResult{kind: previewKindBinary, info: info, lines: []string{"page one is shown when pdftoppm (poppler-utils) is installed"}}
	}
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	// A page as large as the box in pixels (cells of 10×20 at most).
	px := max(r.w*10, r.h*20, 64)
	// pdftoppm writes a file (older versions take "-" for a name), so
	// into a directory of its own, removed after.
	tmp, err := os.MkdirTemp("", "fsdeck-pdf-")
	if err != nil {
		return previewError("page one: " + text.FSError(err, true))
	}
	defer os.RemoveAll(tmp)
	root := filepath.Join(tmp, "page")
	cmd := exec.CommandContext(ctx, bin, "-f", "1", "-l", "1", "-png", "-scale-to", fmt.Sprint(px), "-singlefile", "--", filepath.Clean(path), root)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4 << 10}
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return previewResult{} // the cursor moved on
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return previewError(fmt.Sprintf("pdftoppm took over %s on page one · %s", pdfTimeout, info))
	}
	if err != nil {
		reason := strings.TrimSpace(stderr.String())
		if reason == "" {
			reason = err.Error()
		}
		return previewError("pdftoppm could not draw page one: " + firstLine(reason) + " · " + info)
	}
	out, err := os.Open(root + ".png")
	if err != nil {
		return previewError("pdftoppm wrote no page one: " + text.FSError(err, true))
	}
	defer out.Close()
	img, err := png.Decode(io.LimitReader(out, 64<<20))
	if err != nil {
		return previewError("pdftoppm's page one is not a readable image: " + err.Error())
	}
	b := img.Bounds()
	res := previewResult{kind: previewKindImage, info: fmt.Sprintf("%s · page 1 at %d×%d", info, b.Dx(), b.Dy()), img: img}
	if r.draw {
		res.drawn, res.drawnW, res.drawnH = uikit.RenderHalfBlocks(img, r.w, r.h, r.profile), r.w, r.h
	}
	return res
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return text.Sanitize(l)
}

// limitedWriter keeps the first n bytes and drops the rest.
type limitedWriter struct {
	w io.Writer
	n int64
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(int64(len(p)), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
