package filestack_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/text"
)

// A Filestack server that cannot be reached is named in the error, in
// words: "cannot connect: connection refused by 127.0.0.1:…", "TLS
// certificate problem with …", never net/http's quoted URL.
func TestUnreachableServerErrorNamesHost(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer tlsSrv.Close()
	for _, c := range []struct{ base, want string }{
		{"http://" + closed, "cannot connect: connection refused by " + closed},
		{tlsSrv.URL, "TLS certificate problem with " + strings.TrimPrefix(tlsSrv.URL, "https://") + ": x509: certificate signed by unknown authority"},
	} {
		cl, err := filestack.New(filestack.Config{APIKey: "KEYaaaaaaaaaaaaaaaaaaaa", APIBase: c.base + "/api", UploadBase: c.base, CDNBase: c.base, Describe: text.Describe,
			Retry: filestack.RetryPolicy{Attempts: 1, Base: time.Millisecond, Max: time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.Metadata(context.Background(), "HANDLEaaaaaaaaaaaaaa")
		cl.Close()
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "dial tcp") || strings.Contains(err.Error(), "KEYaaa") {
			t.Errorf("%s: %v, want %q", c.base, err, c.want)
		}
	}
}
