package hosts_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"testing"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// A file name with control characters (possible on a file system) still
// makes a part a server parses, named with those characters
// percent-encoded; other names are sent as they are.
func TestFormFileNamesEveryServerParses(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"\x1b[31mred\x07 bell\ttab\r\n.bin", "%1B[31mred%07 bell%09tab%0D%0A.bin"},
		{"del\x7f.bin", "del%7F.bin"},
		{`Hello, 世界 "q" \ 100%.png`, `Hello, 世界 "q" \ 100%.png`},
		{"\u202efdp.exe", "\u202efdp.exe"},
	} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		w, err := hosts.FormFile(mw, "file", c.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "data")
		mw.Close()
		part, err := multipart.NewReader(&body, mw.Boundary()).NextPart()
		if err != nil {
			t.Errorf("%q: the part does not parse: %v", c.name, err)
			continue
		}
		if got := part.FileName(); got != c.want || part.FormName() != "file" {
			t.Errorf("%q: sent as %q (field %q), want %q", c.name, got, part.FormName(), c.want)
		}
	}
}
