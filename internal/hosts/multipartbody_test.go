package hosts

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"
)

// The form parses back to its fields and file, and Length is its exact
// length when the size is known (-1 when not).
func TestUploadFormFramesAndMeasures(t *testing.T) {
	content := []byte("file bytes\x00\xff")
	f, err := NewUploadForm([]FormField{{"a", "1"}, {"b", "two"}}, "file", "n\x01.txt", bytes.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(f.Body)
	if f.Length != int64(len(body)) {
		t.Fatalf("Length %d, body %d bytes", f.Length, len(body))
	}
	_, params, _ := mime.ParseMediaType(f.ContentType)
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var got []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		got = append(got, p.FormName()+"="+p.FileName()+":"+string(b))
	}
	want := []string{"a=:1", "b=:two", "file=n%01.txt:" + string(content)}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("parts %q, want %q", got, want)
	}
	u, _ := NewUploadForm(nil, "file", "x", strings.NewReader("abc"), -1)
	if u.Length != -1 {
		t.Fatalf("unknown size: Length %d", u.Length)
	}
}
