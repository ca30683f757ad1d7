package preview

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

var (
	keyJ = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("J")}
	keyK = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("K")}
)

// J and K scroll a long text by half the box, within its ends, and the
// footer says which lines are shown; the next entry starts at the top.
func TestPreviewScrolls(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	p := filepath.Join(dir, "long.txt")
	os.WriteFile(p, []byte(b.String()), 0o600)
	v := shown(t, 40, 24, localEntryAt(t, p)) // 20 rows of text
	first := func() string {
		t.Helper()
		lines := strings.Split(v.View(), "\n")
		return strings.TrimSpace(strings.Trim(lines[2], "│ "))
	}
	if first() != "line 1" || !strings.Contains(v.View(), "1–20 of 100 · text") {
		t.Fatalf("top:\n%s", v.View())
	}
	if !v.Scroll(keyJ) || first() != "line 11" || !strings.Contains(v.View(), "11–30 of 100") {
		t.Fatalf("after J:\n%s", v.View())
	}
	for i := 0; i < 20; i++ {
		v.Scroll(keyJ)
	}
	if first() != "line 81" || !strings.Contains(v.View(), "81–100 of 100") {
		t.Fatalf("at the end:\n%s", v.View())
	}
	v.Scroll(keyK)
	if first() != "line 71" {
		t.Fatalf("after K:\n%s", v.View())
	}
	if v.Scroll(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")}) {
		t.Fatal("j taken by the preview")
	}
	os.WriteFile(filepath.Join(dir, "short.txt"), []byte("a\nb\n"), 0o600)
	v2 := shown(t, 40, 24, localEntryAt(t, filepath.Join(dir, "short.txt")))
	v2.Scroll(keyJ)
	if strings.Contains(v2.View(), " of ") || !strings.Contains(v2.View(), "│a") {
		t.Fatalf("a short text scrolled:\n%s", v2.View())
	}
}

// writeArchives makes a zip, a tar and a tar.gz of the same entries, one
// named with an escape sequence.
func writeArchives(t *testing.T, dir string, names []string) (zipPath, tarPath, tgzPath string) {
	t.Helper()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for _, n := range names {
		w, _ := zw.Create(n)
		if !strings.HasSuffix(n, "/") {
			w.Write([]byte("content of " + n))
		}
	}
	zw.Close()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, n := range names {
		h := &tar.Header{Name: n, Mode: 0o644, Size: int64(len("content of " + n)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(n, "/") {
			h.Typeflag, h.Size, h.Mode = tar.TypeDir, 0, 0o755
		}
		tw.WriteHeader(h)
		if h.Size > 0 {
			tw.Write([]byte("content of " + n))
		}
	}
	tw.Close()
	var gb bytes.Buffer
	gw := gzip.NewWriter(&gb)
	gw.Write(tb.Bytes())
	gw.Close()
	zipPath, tarPath, tgzPath = filepath.Join(dir, "a.zip"), filepath.Join(dir, "a.tar"), filepath.Join(dir, "a.tar.gz")
	os.WriteFile(zipPath, zb.Bytes(), 0o600)
	os.WriteFile(tarPath, tb.Bytes(), 0o600)
	os.WriteFile(tgzPath, gb.Bytes(), 0o600)
	return
}

// Archives list their entries (zip, tar, tar.gz): sizes, directories with
// a slash, names sanitised; the listing scrolls like text.
func TestPreviewArchives(t *testing.T) {
	dir := t.TempDir()
	names := []string{"docs/", "docs/readme.md", "evil\x1b[31m\x07name.txt", "src/main.go"}
	zipPath, tarPath, tgzPath := writeArchives(t, dir, names)
	for _, tc := range []struct{ path, kind string }{{zipPath, "zip"}, {tarPath, "tar"}, {tgzPath, "tar.gz"}} {
		t.Run(tc.kind, func(t *testing.T) {
			res := previewOf(t, tc.path, termenv.Ascii)
			if res.kind != previewKindDir || !strings.HasPrefix(res.info, "archive · "+tc.kind+" · ") || !strings.HasSuffix(res.info, " · 4 entries") {
				t.Fatalf("info %q", res.info)
			}
			joined := strings.Join(res.lines, "\n")
			if strings.ContainsAny(joined, "\x1b\x07") || !strings.Contains(joined, "evil␛[31m␇name.txt") ||
				!strings.Contains(joined, "  docs/\n") || !strings.Contains(joined, "25 B  docs/readme.md") {
				t.Fatalf("listing:\n%q", joined)
			}
		})
	}
	// Scrolled by J in a golden: the entries shown and where they are.
	many := append([]string(nil), names...)
	for i := 0; i < 26; i++ {
		many = append(many, fmt.Sprintf("pics/%c.png", 'a'+i))
	}
	zipPath, _, _ = writeArchives(t, t.TempDir(), many)
	v := shown(t, 48, 12, localEntryAt(t, zipPath))
	v.Scroll(keyJ)
	golden.RequireEqual(t, []byte(v.View()))
}

// A listing stops at its cap and says so; a gzip holding no tar is a
// compressed file, shown as such.
func TestPreviewArchiveBounds(t *testing.T) {
	dir := t.TempDir()
	names := make([]string, archiveListed+50)
	for i := range names {
		names[i] = fmt.Sprintf("f%04d", i)
	}
	_, tarPath, _ := writeArchives(t, dir, names)
	res := previewOf(t, tarPath, termenv.Ascii)
	if len(res.lines) != archiveListed || !strings.HasSuffix(res.info, "first 1000 entries") {
		t.Fatalf("%d lines, info %q", len(res.lines), res.info)
	}
	var gb bytes.Buffer
	gw := gzip.NewWriter(&gb)
	gw.Write([]byte(strings.Repeat("just text, no tar here\n", 50)))
	gw.Close()
	p := filepath.Join(dir, "notes.txt.gz")
	os.WriteFile(p, gb.Bytes(), 0o600)
	if res := previewOf(t, p, termenv.Ascii); res.kind != previewKindBinary || !strings.Contains(res.info, "gzip-compressed data") || res.hex == nil {
		t.Fatalf("gzip without tar: %+v", res.info)
	}
}

// minimalPDF is a one-page PDF (a filled square), as pdftoppm reads it.
func minimalPDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
	}
	stream := "0 0 1 rg 20 20 60 60 re f"
	objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// A PDF shows page one through pdftoppm when it is installed, says how
// to get it when not, and a pdftoppm that hangs is stopped at the
// timeout with a message.
func TestPreviewPDF(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "doc.pdf")
	os.WriteFile(p, minimalPDF(), 0o600)
	load := func(lookPath func(string) (string, error)) previewResult {
		return loadPreview(context.Background(), previewRequest{entry: localEntryAt(t, p), w: 30, h: 10, profile: termenv.Ascii, draw: true, lookPath: lookPath})
	}
	missing := load(func(string) (string, error) { return "", errors.New("not found") })
	if missing.img != nil || !strings.HasPrefix(missing.info, "PDF · ") || strings.Join(missing.lines, "") != "page one is shown when pdftoppm (poppler-utils) is installed" {
		t.Fatalf("without pdftoppm: %+v", missing)
	}
	if runtime.GOOS != "windows" {
		fake := filepath.Join(dir, "pdftoppm")
		os.WriteFile(fake, []byte("#!/bin/sh\nexec sleep 30\n"), 0o700)
		defer func(d time.Duration) { pdfTimeout = d }(pdfTimeout)
		pdfTimeout = 200 * time.Millisecond
		start := time.Now()
		hung := load(func(string) (string, error) { return fake, nil })
		if hung.kind != previewKindError || !strings.Contains(hung.info, "pdftoppm took over 200ms on page one") || time.Since(start) > 5*time.Second {
			t.Fatalf("a hanging pdftoppm: %+v after %s", hung.info, time.Since(start))
		}
		pdfTimeout = 10 * time.Second
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed: page one not drawn here")
	}
	page := load(exec.LookPath)
	if page.img == nil || page.img.Bounds().Dx() != 2*page.img.Bounds().Dy() || !strings.Contains(page.info, "page 1 at ") || page.drawn == "" {
		t.Fatalf("page one: %+v", page.info)
	}
	_ = uikit.PreviewHalfBlock
}
