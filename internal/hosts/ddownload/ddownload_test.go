package ddownload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

const testKey = "ddl-s3cret-key"

func setup(t *testing.T, opts EmulatorOptions, interval time.Duration) (*httptest.Server, *Client) {
	t.Helper()
	if opts.Keys == nil {
		opts.Keys = []string{testKey}
	}
	opts.Prefix = "/ddownload"
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	srv := httptest.NewServer(NewEmulator(opts))
	t.Cleanup(srv.Close)
	return srv, client(t, srv, testKey, interval)
}

func client(t *testing.T, srv *httptest.Server, key hosts.Key, interval time.Duration) *Client {
	t.Helper()
	c, err := New(hosts.Config{BaseURL: srv.URL + "/ddownload/api", Key: key, HTTP: srv.Client(), MinInterval: interval})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func send(c *Client, name string, data []byte, p hosts.Progress) (hosts.Result, error) {
	return c.Upload(context.Background(), hosts.File{Name: name, Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, p)
}

func TestTwoStepUploadRoundTrip(t *testing.T) {
	srv, c := setup(t, EmulatorOptions{RequestsPerSecond: -1}, time.Millisecond)
	data := bytes.Repeat([]byte("\x00ddl\xff"), 7000)
	var sent int64
	res, err := send(c, "archive.bin", data, func(s, _ int64) { sent = s })
	if err != nil {
		t.Fatal(err)
	}
	if sent != int64(len(data)) || len(res.ID) != 12 || res.URL != srv.URL+"/ddownload/f/"+res.ID {
		t.Fatalf("progress %d result %+v", sent, res)
	}
	resp, err := srv.Client().Get(res.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, data) {
		t.Fatalf("download: %d bytes, want %d", len(got), len(data))
	}
}

// uploadRaw posts a file with the given sess_id as another client would.
func uploadRaw(t *testing.T, srv *httptest.Server, target, sess string) string {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("sess_id", sess)
	fw, _ := mw.CreateFormFile("file", "x.txt")
	_, _ = fw.Write([]byte("x"))
	_ = mw.Close()
	resp, err := srv.Client().Post(target, mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var files []map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&files); err != nil || len(files) != 1 {
		t.Fatalf("reply: %v %v", files, err)
	}
	return files[0]["file_status"]
}

func TestSessIDIsSingleUse(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{RequestsPerSecond: -1}, time.Millisecond)
	resp, err := srv.Client().Get(srv.URL + "/ddownload/api/upload/server?key=" + testKey)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Msg        string `json:"msg"`
		Status     int    `json:"status"`
		ServerTime string `json:"server_time"`
		SessID     string `json:"sess_id"`
		Result     string `json:"result"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	if env.Msg != "OK" || env.Status != 200 || env.SessID == "" || env.ServerTime == "" {
		t.Fatalf("upload/server: %+v", env)
	}
	if st := uploadRaw(t, srv, env.Result, env.SessID); st != "OK" {
		t.Fatalf("first use: %q", st)
	}
	if st := uploadRaw(t, srv, env.Result, env.SessID); st == "OK" {
		t.Fatal("sess_id accepted twice")
	}
	if st := uploadRaw(t, srv, env.Result, "made-up"); st == "OK" {
		t.Fatal("unknown sess_id accepted")
	}
}

func TestWrongKeyRejectedWithoutLeakingKey(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{Keys: []string{"other"}}, time.Millisecond)
	c := client(t, srv, testKey, time.Millisecond)
	_, err := send(c, "x", []byte("x"), nil)
	if !errors.Is(err, hosts.ErrAuth) || strings.Contains(err.Error(), testKey) {
		t.Fatalf("err = %v", err)
	}
	if _, _, err := c.List(context.Background(), 1, 10); !errors.Is(err, hosts.ErrAuth) {
		t.Fatalf("list: %v", err)
	}
}

func TestListPagesWithTotal(t *testing.T) {
	_, c := setup(t, EmulatorOptions{RequestsPerSecond: -1}, time.Millisecond)
	var codes []string
	for i := range 5 {
		r, err := send(c, "f"+string(rune('a'+i)), []byte{byte(i)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, r.ID)
	}
	var seen []hosts.Result
	for page := 1; page <= 3; page++ {
		items, total, err := c.List(context.Background(), page, 2)
		if err != nil || total != 5 {
			t.Fatalf("page %d: total %d, %v", page, total, err)
		}
		seen = append(seen, items...)
	}
	if len(seen) != 5 || seen[0].ID != codes[4] || seen[4].ID != codes[0] || seen[0].Name != "fe" || seen[0].Size != 1 || seen[0].Created.IsZero() {
		t.Fatalf("listed %+v", seen)
	}
}

func TestRateLimitIsTyped(t *testing.T) {
	_, c := setup(t, EmulatorOptions{RequestsPerSecond: 2}, time.Millisecond)
	var err error
	for range 3 {
		if _, _, err = c.List(context.Background(), 1, 10); err != nil {
			break
		}
	}
	if !errors.Is(err, hosts.ErrRateLimit) {
		t.Fatalf("third call in a second: %v, want ErrRateLimit", err)
	}
}

// With its default pacing the client stays under the emulator's documented
// 4 requests per second, however fast it is driven.
func TestDefaultPacingNeverHitsTheLimit(t *testing.T) {
	_, c := setup(t, EmulatorOptions{}, 0)
	for i := range 6 {
		if _, _, err := c.List(context.Background(), 1, 10); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
}

// lateFirst delays the first request on its way to the server, as a
// connection being set up (or a loaded machine) does.
type lateFirst struct {
	rt   http.RoundTripper
	once sync.Once
	by   time.Duration
}

func (l *lateFirst) RoundTrip(r *http.Request) (*http.Response, error) {
	l.once.Do(func() { time.Sleep(l.by) })
	return l.rt.RoundTrip(r)
}

// A request that reaches the service late does not let the next ones
// bunch up behind it: the pace counts from the previous reply too, so the
// service never sees more than its limit in any second. (Spaced only when
// sent, a first request 250 ms late put five calls in one second here.)
func TestDefaultPacingHoldsWhenARequestArrivesLate(t *testing.T) {
	srv := httptest.NewServer(NewEmulator(EmulatorOptions{Keys: []string{testKey}, Prefix: "/ddownload", Dir: t.TempDir()}))
	t.Cleanup(srv.Close)
	hc := srv.Client()
	hc.Transport = &lateFirst{rt: hc.Transport, by: 250 * time.Millisecond}
	c, err := New(hosts.Config{BaseURL: srv.URL + "/ddownload/api", Key: testKey, HTTP: hc})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if _, _, err := c.List(context.Background(), 1, 10); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
}
