package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// checkStdinUpload refuses what --stdin-name cannot be combined with,
// before anything is read or sent (status 2).
func checkStdinUpload(f *uploadOptions) error {
	switch {
	case len(f.Paths) > 0:
		return usageError("--stdin-name uploads standard input: give no PATH (and no -) with it")
	case f.stdinName == "" || strings.ContainsAny(f.stdinName, "/\x00"):
		return usageError("--stdin-name %s: give a file name, without / (put folders in --store-path)", text.Sanitize(fmt.Sprintf("%q", f.stdinName)))
	case f.recursive || f.nul || f.skipExisting || f.intelligent || f.partSize != "" || f.concurrency != 0:
		return usageError("--stdin-name cannot be combined with -r, -0, --skip-existing, --intelligent, --part-size or --concurrency")
	case f.host.expiry != "" || f.host.privacy != "":
		return usageError("--stdin-name uploads to Filestack, which has no --expiry or --privacy")
	}
	return nil
}

// runUploadStdin stores standard input under the name given, streamed in
// one request as it is read (see filestack.Client.UploadStream: the
// Upload API needs the total size at its start, which a pipe does not
// have): a bounded buffer, no temporary file. The ledger records the
// SHA-256 of the bytes as they went by. A stream cannot be sent twice,
// so a failure says how much of it was read and lost.
func runUploadStdin(ctx context.Context, f *uploadOptions) error {
	if err := checkStdinUpload(f); err != nil {
		return err
	}
	io := f.IO
	f.conn.store = filestack.StoreOptions{Location: f.location, Container: f.container, Region: f.region, Access: f.access, Path: f.storePath}
	s, err := openSession(f.factory, f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	if !s.Target.Info.Root {
		return usageError("--stdin-name uploads to %s only (%s needs the size of a file before it is sent); save the stream to a file and upload that",
			s.Root.Info.Title, s.Target.Info.Title)
	}
	st := s.StoreOptions(f.conn.options())
	if strings.HasSuffix(st.Path, "/") {
		st.Path += f.stdinName // a folder keeps the name, as for files
	}
	h := sha256.New()
	var read int64
	opts := filestack.UploadOptions{Filename: f.stdinName, Store: st, Progress: func(ev filestack.Event) {
		if ev.Kind == filestack.EventProgress {
			read = ev.Sent
		}
	}}
	file, err := s.Conn.Client.UploadStream(ctx, teeReader{r: io.In, w: h}, opts)
	p := s.printer(f.out, io, nil)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(io.ErrOut, "fsdeck: interrupted; nothing was stored from standard input (%s read, which cannot be sent again: run what produced it again)\n",
				humanize.IBytes(uint64(read)))
			return errInterrupted
		}
		r := result{Filename: f.stdinName, Status: statusFailed, Error: fmt.Sprintf("%s (%s of standard input read and not stored; it cannot be sent again: run what produced it again)",
			filestackMessage(err), humanize.IBytes(uint64(read)))}
		r.auth = authFailure(err)
		r.network = !r.auth && networkFailure(err)
		p.add(r)
		return p.flush()
	}
	sum := hex.EncodeToString(h.Sum(nil))
	e := store.Entry{Handle: file.Handle, Filename: file.Filename, Size: file.Size, Mimetype: file.Mimetype, Uploaded: time.Now(),
		Source: store.SourceUpload, SHA256: sum, StorePath: st.Path}
	r := result{Handle: file.Handle, Filename: file.Filename, Size: file.Size, Type: file.Mimetype, Status: statusStored, URL: s.fileURL(e)}
	if file.Size != read {
		r.Status, r.Error = statusFailed, fmt.Sprintf("stored as %s, but the server reports %d bytes where %d were read", file.Handle, file.Size, read)
	} else if err := s.Ledger.Add(ctx, s.scope(), e); err != nil {
		r.Status, r.Error = statusFailed, fmt.Sprintf("uploaded as %s, but recording it in the ledger failed: %v", file.Handle, err)
	}
	p.add(r)
	return p.flush()
}

// filestackMessage is a client error's text without the wrapping a
// result line does not need.
func filestackMessage(err error) string {
	var fe *filestack.Error
	if errors.As(err, &fe) {
		return fe.Error()
	}
	return err.Error()
}

// teeReader is io.TeeReader without its io.Reader-only type, so nothing
// mistakes the stream for a file it could read twice.
type teeReader struct {
	r interface{ Read([]byte) (int, error) }
	w interface{ Write([]byte) (int, error) }
}

func (t teeReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.w.Write(p[:n])
	}
	return n, err
}
