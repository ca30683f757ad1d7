package emulator

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/security"
)

const (
	key    = "EMUKEYaaaaaaaaaaaaaaaa"
	secret = "EMUSECRETbbbbbbbbbbbbbbbbb"
)

type tenv struct {
	t   *testing.T
	s   *Server
	srv *httptest.Server
	dir string
}

func newTEnv(t *testing.T, o Options) *tenv {
	t.Helper()
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	o.APIKeys = []string{key}
	if o.AppSecret == "" {
		o.AppSecret = secret
	}
	if o.MinPartSize == 0 {
		o.MinPartSize = 1024
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	return &tenv{t: t, s: s, srv: srv, dir: o.DataDir}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

func (e *tenv) do(method, path string, body io.Reader, hdr ...string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// storeRaw uploads bytes with the simple store and returns the handle.
func (e *tenv) storeRaw(data []byte, query string) string {
	e.t.Helper()
	r := e.do("POST", "/api/store/S3?key="+key+query, bytes.NewReader(data), "Content-Type", "application/octet-stream")
	if r.status != 200 {
		e.t.Fatalf("store: %d %s", r.status, r.body)
	}
	u := r.json(e.t)["url"].(string)
	return u[strings.LastIndex(u, "/")+1:]
}

func (e *tenv) postJSON(path string, v any) resp {
	e.t.Helper()
	b, _ := json.Marshal(v)
	return e.do("POST", path, bytes.NewReader(b), "Content-Type", "application/json")
}

func multipartBody(field, filename string, data []byte, extra map[string]string) (io.Reader, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range extra {
		w.WriteField(k, v)
	}
	if field != "" {
		fw, _ := w.CreateFormFile(field, filename)
		fw.Write(data)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func signed(p security.Policy) url.Values {
	c := security.New(secret, p)
	return url.Values{"policy": {c.Policy}, "signature": {c.Signature}}
}

func future() int64 { return time.Now().Add(time.Hour).Unix() }

// quadrants is a test image: red top-left, green top-right, blue
// bottom-left, white bottom-right, so flips and rotations are checkable.
func quadrants(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{255, 255, 255, 255}
			switch {
			case x < w/2 && y < h/2:
				c = color.NRGBA{255, 0, 0, 255}
			case x >= w/2 && y < h/2:
				c = color.NRGBA{0, 255, 0, 255}
			case x < w/2 && y >= h/2:
				c = color.NRGBA{0, 0, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func pngBytes(img image.Image) []byte {
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("result is not an image: %v (%q)", err, truncate(string(b), 200))
	}
	return img
}

// near reports whether colour c is within tol of want in each channel.
func near(c color.Color, want color.NRGBA, tol int) bool {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	d := func(a, b uint8) int {
		if a > b {
			return int(a - b)
		}
		return int(b - a)
	}
	return d(n.R, want.R) <= tol && d(n.G, want.G) <= tol && d(n.B, want.B) <= tol && d(n.A, want.A) <= tol
}

var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	white = color.NRGBA{255, 255, 255, 255}
)

func decodeJSON(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
