package builtin_test

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
)

// Every target, pointed at a 127.0.0.1 port nothing listens on, fails an
// upload with "connection refused by 127.0.0.1:…", never net/http's
// `Post "…": dial tcp …` (which would also quote a key in the URL).
func TestEveryTargetNamesARefusedHost(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	reg := builtin.Registry()
	const key = "KEYsecret123"
	for _, name := range reg.Mounted() {
		in, _ := reg.Info(name)
		h, err := in.New(hosts.Config{BaseURL: "http://" + closed, Key: key, MinInterval: time.Millisecond})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		body := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		if h.Capabilities().Kind == hosts.TextOnly {
			body = []byte("hello")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err = h.Upload(ctx, hosts.File{Name: "a.png", Size: int64(len(body)), Body: bytes.NewReader(body)}, hosts.UploadOptions{}, nil)
		cancel()
		if err == nil {
			t.Fatalf("%s: an upload to a closed port worked", name)
		}
		s := hosts.Describe(err)
		if !strings.Contains(s, "connection refused by "+closed) || strings.Contains(s, "dial tcp") || strings.Contains(s, key) {
			t.Errorf("%s: %q", name, s)
		}
	}
}
