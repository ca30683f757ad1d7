package filestack

import (
	"context"
	"os"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// BenchmarkResumeCheck is the check a resume makes before sending
// anything: every part the journal says was sent is hashed again and
// compared (here 256 MiB in 8 MiB parts, all sent).
func BenchmarkResumeCheck(b *testing.B) {
	size, psize := benchSize(256<<20, 16<<20), int64(DefaultPartSize)
	path := benchFile(b, size)
	_, _, c := benchEnv(b, emulator.Options{}, Config{})
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	sess := Session{UploadID: "x", LocationURL: "x", PartSize: psize, Size: size, ModTime: st.ModTime()}
	for p := 1; int64(p) <= size/psize; p++ {
		sum, err := partMD5(f, int64(p-1)*psize, psize, nil)
		if err != nil {
			b.Fatal(err)
		}
		sess.Parts = append(sess.Parts, DonePart{Number: p, Size: psize, MD5: sum})
	}
	m := &multipart{c: c, r: f, size: size}
	b.SetBytes(size)
	for b.Loop() {
		if why := m.checkResumable(context.Background(), sess, st.ModTime()); why != "" {
			b.Fatal(why)
		}
	}
}
