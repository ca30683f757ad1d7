package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/dustin/go-humanize"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/text"
)

// existing decides for a download whose destination path exists: with
// skip (--skip-existing) a file identical to the server's (size, then
// SHA-256) is skipped; otherwise, without force, it is refused with the
// reason. done is false when the download goes ahead.
func existing(ctx context.Context, s *session, h, path string, size int64, force, skip bool) (r result, done bool) {
	if _, err := os.Lstat(path); err != nil {
		return result{}, false
	}
	why := "exists"
	if skip {
		same, differ := sameAsServer(ctx, s, h, path, size)
		if same {
			e, _ := s.Ledger.Get(ctx, s.scope(), h)
			return result{Handle: h, URL: s.fileURL(e), Filename: e.Filename, Size: max(size, e.Size), Path: path, Status: statusSkipped}, true
		}
		why = differ
	}
	if force {
		return result{}, false
	}
	return result{Handle: h, Path: path, Status: statusFailed, Error: why + "; not overwriting it without --force"}, true
}

// sameAsServer says whether the file at path holds what the server has
// for h: the same size, then the same SHA-256 (the ledger's, recorded at
// upload, else Filestack's metadata). When it does not, or cannot tell,
// differ says why.
func sameAsServer(ctx context.Context, s *session, h, path string, size int64) (same bool, differ string) {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return false, "exists and is not a regular file"
	}
	e, lerr := s.Ledger.Get(ctx, s.scope(), h)
	if size <= 0 && lerr == nil {
		size = e.Size
	}
	if size > 0 && info.Size() != size {
		return false, fmt.Sprintf("exists with another size (%s; the server's is %s)", humanize.IBytes(uint64(info.Size())), humanize.IBytes(uint64(size)))
	}
	want := ""
	if lerr == nil {
		want = e.SHA256
	}
	if want == "" && s.Target.Info.Root && s.Conn != nil && s.Conn.Client != nil {
		if md, err := s.Conn.Client.Metadata(ctx, h, filestack.FieldSHA256); err == nil {
			want = md.SHA256
		}
	}
	if want == "" {
		return false, "exists, and the server's SHA-256 is not known, so it cannot be compared"
	}
	got, err := sha256File(path)
	if err != nil {
		return false, "exists but cannot be read to compare: " + text.FSError(err, false)
	}
	if got != want {
		return false, "exists with other content (its SHA-256 differs from the server's)"
	}
	return true, ""
}
