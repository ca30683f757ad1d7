package builtin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// wireLog records, per request, how often the key travelled (query,
// headers and body together) and how the body was framed.
type wireLog struct {
	mu   sync.Mutex
	seen []string
}

func (l *wireLog) wrap(key string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		n := strings.Count(r.URL.RawQuery, key) + bytes.Count(body, []byte(key))
		for _, vs := range r.Header {
			for _, v := range vs {
				n += strings.Count(v, key)
			}
		}
		l.mu.Lock()
		l.seen = append(l.seen, fmt.Sprintf("%s %s key×%d length=%d", r.Method, r.URL.Path, n, r.ContentLength))
		l.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// Local mode's clients (LocalClient on the mounted emulators) send their
// key once per request, never twice (a header beside a form field or a
// query parameter), and uploads of a known size carry a Content-Length
// instead of a chunked body: upload, list, stat, fetching the bytes and
// delete, for every target (Pastebin with and without its login).
func TestClientsSendTheKeyOnceAndUploadsWithALength(t *testing.T) {
	const key = "good-key-0123456789"
	log := &wireLog{}
	srv := httptest.NewServer(log.wrap(key, Mount(http.NotFoundHandler(), []string{key}, t.TempDir(), nil)))
	defer srv.Close()
	r := Registry()
	ctx := context.Background()
	type run struct {
		name  string
		login *hosts.Login
	}
	runs := []run{}
	for _, n := range r.Mounted() {
		runs = append(runs, run{name: n})
	}
	runs = append(runs, run{"pastebin", &hosts.Login{User: "someone", Password: key}})
	for _, rn := range runs {
		in, _ := r.Info(rn.name)
		tg, err := r.New(rn.name, hosts.Config{BaseURL: in.LocalURL(srv.URL), Key: key, Login: rn.login,
			HTTP: in.LocalClient(srv.URL, key), MinInterval: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		log.seen = nil
		data := sample(t, tg.Capabilities().Kind)
		res, err := tg.Upload(ctx, hosts.File{Name: "f.dat", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
		if err != nil {
			t.Fatalf("%s: upload: %v", rn.name, err)
		}
		if l, ok := tg.(hosts.Lister); ok && tg.Capabilities().List {
			if _, _, err := l.List(ctx, 1, 10); err != nil {
				t.Errorf("%s: list: %v", rn.name, err)
			}
		}
		if s, ok := tg.(hosts.Stater); ok && tg.Capabilities().Stat {
			if _, err := s.Stat(ctx, res.ID); err != nil {
				t.Errorf("%s: stat: %v", rn.name, err)
			}
		}
		if u := fileURL(srv.URL, tg, res); u != "" {
			if resp, err := in.LocalClient(srv.URL, key).Get(u); err == nil {
				resp.Body.Close()
			}
		}
		if d, ok := tg.(hosts.Deleter); ok && tg.Capabilities().Delete {
			if err := d.Delete(ctx, res.ID); err != nil {
				t.Errorf("%s: delete: %v", rn.name, err)
			}
		}
		uploads := 0
		for _, s := range log.seen {
			once := "key×1 "
			if strings.Contains(s, "api_login.php") {
				once = "key×2 " // the dev key, and the password local mode's login is the key for
			}
			if !strings.Contains(s, once) && !strings.Contains(s, "key×0 ") {
				t.Errorf("%s sent its key more than once: %s", rn.name, s)
			}
			if strings.HasPrefix(s, "POST") && (strings.Contains(s, "/upload") || strings.Contains(s, "api_post")) {
				uploads++
				if strings.HasSuffix(s, "length=-1") {
					t.Errorf("%s: an upload of known size went chunked: %s", rn.name, s)
				}
			}
		}
		if uploads == 0 {
			t.Errorf("%s: no upload seen in %q", rn.name, log.seen)
		}
		if ls, ok := tg.(interface{ Close() }); ok {
			ls.Close()
		}
	}
}
