package emulator

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/security"
)

// Pixel checks on a 200×100 image whose quadrants are red, green, blue, white.
func TestImageTasks(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw(pngBytes(quadrants(200, 100)), "&filename=q.png")
	type probe struct {
		x, y int
		c    color.NRGBA
	}
	tests := []struct {
		chain  string
		w, h   int
		probes []probe
	}{
		{"resize=width:100", 100, 50, []probe{{10, 10, red}, {90, 40, white}}},
		{"resize=height:50", 100, 50, nil},
		{"resize=w:50,h:50", 50, 25, nil}, // clip keeps the aspect
		{"resize=w:50,h:50,fit:scale", 50, 50, []probe{{5, 45, blue}}},
		{"resize=w:50,h:50,fit:crop", 50, 50, nil},
		{"resize=w:50,h:50,fit:crop,align:left", 50, 50, []probe{{5, 5, red}, {45, 45, blue}}},
		{"resize=w:50,h:50,fit:crop,align:[bottom,right]", 50, 50, []probe{{45, 45, white}, {5, 5, green}}},
		{"resize=w:400,fit:max", 200, 100, nil},
		{"resize=w:400", 400, 200, nil},
		{"crop=dim:[100,50,100,50]", 100, 50, []probe{{50, 25, white}}},
		{"crop=dim:[150,0,500,500]", 50, 100, []probe{{10, 10, green}}},
		{"flip", 200, 100, []probe{{10, 90, red}, {10, 10, blue}}},
		{"flop", 200, 100, []probe{{190, 10, red}, {10, 10, green}}},
		{"rotate=deg:90", 100, 200, []probe{{90, 10, red}, {10, 190, white}}},
		{"rotate=deg:180", 200, 100, []probe{{190, 90, red}}},
		{"rotate=deg:45,background:000000", 212, 212, []probe{{2, 2, color.NRGBA{0, 0, 0, 255}}}},
		{"monochrome", 200, 100, []probe{{10, 10, color.NRGBA{54, 54, 54, 255}}}},
		{"negative", 200, 100, []probe{{10, 10, color.NRGBA{0, 255, 255, 255}}, {190, 90, color.NRGBA{0, 0, 0, 255}}}},
		{"blackwhite=threshold:50", 200, 100, []probe{{10, 10, color.NRGBA{0, 0, 0, 255}}, {190, 90, white}}},
		{"sepia=tone:100", 200, 100, []probe{{190, 90, color.NRGBA{255, 255, 239, 255}}}},
		{"border=width:10,color:000000", 220, 120, []probe{{2, 2, color.NRGBA{0, 0, 0, 255}}, {15, 15, red}}},
		{"circle=background:000000", 200, 100, []probe{{1, 1, color.NRGBA{0, 0, 0, 255}}, {100, 50, white}}},
		{"rounded_corners=radius:30,background:000000", 200, 100, []probe{{1, 1, color.NRGBA{0, 0, 0, 255}}, {30, 30, red}}},
		{"pixelate=amount:10", 200, 100, []probe{{5, 5, red}}},
		{"blur=amount:5", 200, 100, []probe{{20, 20, red}}},
		{"sharpen=amount:5", 200, 100, []probe{{20, 20, red}}},
		{"modulate=hue:120", 200, 100, []probe{{10, 10, green}, {190, 10, blue}}},
		{"modulate=brightness:0", 200, 100, []probe{{190, 90, color.NRGBA{0, 0, 0, 255}}}},
		{"partial_pixelate=objects:[[0,0,50,50]],amount:50", 200, 100, []probe{{10, 10, red}}},
		{"partial_blur=objects:[[90,40,20,20]],amount:10,blur:10", 200, 100, []probe{{10, 10, red}}},
		{"resize=w:100/flip/output=format:jpg,quality:90", 100, 50, []probe{{10, 40, red}}},
	}
	for _, tt := range tests {
		t.Run(tt.chain, func(t *testing.T) {
			r := e.do("GET", "/"+tt.chain+"/"+h, nil)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			img := decode(t, r.body)
			if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
				t.Fatalf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), tt.w, tt.h)
			}
			for _, p := range tt.probes {
				if c := img.At(p.x, p.y); !near(c, p.c, 40) {
					t.Errorf("pixel (%d,%d) = %v, want ~%v", p.x, p.y, c, p.c)
				}
			}
		})
	}
}

func TestOutputFormatsAndCache(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw(pngBytes(quadrants(64, 64)), "&filename=q.png")
	for format, ctype := range map[string]string{"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"} {
		r := e.do("GET", "/output=format:"+format+"/"+h, nil)
		if r.status != 200 || r.header.Get("Content-Type") != ctype {
			t.Fatalf("%s: %d %s %s", format, r.status, r.header.Get("Content-Type"), r.body)
		}
		if img := decode(t, r.body); img.Bounds().Dx() != 64 {
			t.Fatalf("%s: wrong size", format)
		}
		if !strings.Contains(r.header.Get("Content-Disposition"), "q."+format) {
			t.Fatalf("%s: filename %q", format, r.header.Get("Content-Disposition"))
		}
	}
	r1 := e.do("GET", "/resize=w:32/"+h, nil)
	r2 := e.do("GET", "/resize=width:32/"+h, nil) // alias: same cache entry
	if r1.header.Get("ETag") == "" || r1.header.Get("ETag") != r2.header.Get("ETag") || !bytes.Equal(r1.body, r2.body) {
		t.Fatalf("cache by normalised chain: %q %q", r1.header.Get("ETag"), r2.header.Get("ETag"))
	}
	if r := e.do("GET", "/cache=false/resize=w:32/"+h, nil); r.header.Get("Cache-Control") != "no-cache, no-store" {
		t.Fatalf("cache=false: %q", r.header.Get("Cache-Control"))
	}
	if r := e.do("GET", "/cache=expiry:60/resize=w:32/"+h, nil); r.header.Get("Cache-Control") != "public, max-age=60" {
		t.Fatalf("cache=expiry: %q", r.header.Get("Cache-Control"))
	}
	if r := e.do("GET", "/auto_image/"+h, nil, "Accept", "image/webp,*/*"); r.header.Get("Content-Type") != "image/webp" {
		t.Fatalf("auto_image: %q", r.header.Get("Content-Type"))
	}
	r := e.do("GET", "/imagesize/"+h, nil)
	if m := r.json(t); m["width"] != 64.0 || m["height"] != 64.0 {
		t.Fatalf("imagesize: %v", m)
	}
}

func TestProcessingErrors(t *testing.T) {
	e := newTEnv(t, Options{MaxImagePixels: 1_000_000})
	h := e.storeRaw(pngBytes(quadrants(20, 20)), "")
	txt := e.storeRaw([]byte("plain text"), "&filename=a.txt")
	bomb := e.storeRaw(pngBytes(image.NewGray(image.Rect(0, 0, 2000, 1000))), "")
	tests := []struct{ path, msg string }{
		{"/resize=heigt:300/" + h, "invalid parameter `heigt` for `resize` task"},
		{"/" + key + "/frobnicate/" + h, "invalid task `frobnicate`"},
		{"/resize=width:abc/" + h, "expected an integer"},
		{"/detect_faces/" + h, "not implemented by the fsdeck emulator"},
		{"/output=format:pdf/" + h, "needs a document engine"},
		{"/resize=w:10/" + txt, "not an image"},
		{"/resize=w:10/" + bomb, "too large to process"},
		{"/crop=dim:[500,500,10,10]/" + h, "lies outside"},
		{"/" + key + "/resize=w:10/[" + h + "]", "array of sources"},
		{"/resize=w:10/[" + h + "]", "API key is required"},
		{"/resize=w:10/https://example.com/a.jpg", "API key is required"},
		{"/wrongkeyaaaaaaaaaaaaaa/resize=w:10/" + h, "Invalid API key"},
		{"/resize=w:10/" + h + `"`, "unterminated quote"},
	}
	for _, tt := range tests {
		r := e.do("GET", tt.path, nil)
		if r.status < 400 || r.status > 499 || !strings.Contains(string(r.body), tt.msg) {
			t.Errorf("%s: %d %s, want 4xx %q", tt.path, r.status, r.body, tt.msg)
		}
	}
}

func TestDebugStoreProcessZipAndExternal(t *testing.T) {
	e := newTEnv(t, Options{FetchPrivate: true})
	img := pngBytes(quadrants(40, 20))
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(img)
	}))
	defer src.Close()
	h := e.storeRaw(img, "&filename=q.png")

	r := e.do("GET", "/debug/resize=w:10/"+h, nil)
	m := r.json(t)
	if st := m["status"].(map[string]any); st["http_code"] != 200.0 || m["chain"] == nil || m["source"] == nil {
		t.Fatalf("debug: %v", m)
	}
	m = e.do("GET", "/debug/resize=heigt:1/"+h, nil).json(t)
	if st := m["status"].(map[string]any); st["http_code"] != 400.0 || !strings.Contains(st["message"].(string), "heigt") {
		t.Fatalf("debug error: %v", m)
	}

	for _, method := range []string{"GET", "POST"} {
		r := e.do(method, `/`+key+`/resize=w:20/store=filename:small.png,path:"thumbs/s.png"/`+h, nil)
		res := r.json(t)
		if r.status != 200 || res["handle"] == nil || res["url"] == nil || res["key"] != "thumbs/s.png" || res["filename"] != "small.png" {
			t.Fatalf("store task by %s: %d %v", method, r.status, res)
		}
		if img := decode(t, e.do("GET", "/"+res["handle"].(string), nil).body); img.Bounds().Dx() != 20 {
			t.Fatalf("stored result is %v", img.Bounds())
		}
	}

	for _, k := range []string{"apikey", "apiKey"} {
		body, _ := json.Marshal(map[string]any{k: key, "sources": []string{src.URL + "/pic.png"},
			"tasks": []map[string]any{{"name": "store", "params": map[string]any{"location": "s3"}}}})
		r := e.do("POST", "/process", bytes.NewReader(body), "Content-Type", "application/json")
		if res := r.json(t); r.status != 200 || res["handle"] == nil || res["filename"] != "pic.png" {
			t.Fatalf("/process with %s: %d %v", k, r.status, res)
		}
	}

	r = e.do("GET", "/"+key+"/resize=w:10/"+src.URL+"/pic.png?size=big", nil)
	if r.status != 200 || decode(t, r.body).Bounds().Dx() != 10 {
		t.Fatalf("external source: %d %s", r.status, r.body)
	}

	h2 := e.storeRaw([]byte("second"), "&filename=q.png")
	r = e.do("GET", "/"+key+"/zip/["+h+","+h2+"]", nil)
	zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
	if err != nil || r.header.Get("Content-Type") != "application/zip" || len(zr.File) != 2 || zr.File[0].Name == zr.File[1].Name {
		t.Fatalf("zip: %v %v", err, r.header)
	}
}

func TestProcessingSecurity(t *testing.T) {
	e := newTEnv(t, Options{SecurityRequired: true})
	r := e.do("POST", "/api/store/S3?key="+key, strings.NewReader("x"))
	if r.status != 403 || !strings.Contains(string(r.body), "Policy required") {
		t.Fatalf("store without policy under security: %d %s", r.status, r.body)
	}
	pick := signed(security.Policy{Expiry: future(), Call: []string{"pick"}})
	r = e.do("POST", "/api/store/S3?key="+key+"&"+pick.Encode(), bytes.NewReader(pngBytes(quadrants(8, 8))))
	if r.status != 200 {
		t.Fatalf("store with pick policy: %d %s", r.status, r.body)
	}
	h := strings.TrimPrefix(r.json(t)["url"].(string), e.srv.URL+"/")
	if r := e.do("GET", "/"+h, nil); r.status != 403 {
		t.Fatalf("read without policy: %d", r.status)
	}
	read := security.New(secret, security.Policy{Expiry: future(), Call: []string{"read", "convert"}, Handle: h})
	// The signature covers the string as sent; decoding accepts both
	// alphabets with or without padding.
	unpadded := strings.TrimRight(read.Policy, "=")
	raw, _ := base64.URLEncoding.DecodeString(read.Policy)
	stdAlphabet := base64.StdEncoding.EncodeToString(raw)
	forms := []string{
		"/security=p:" + read.Policy + ",s:" + read.Signature + "/" + h,
		"/security=policy:" + read.Policy + ",signature:" + read.Signature + "/resize=w:4/" + h,
		"/resize=w:4/security=s:" + read.Signature + ",p:" + read.Policy + "/" + h,
		"/" + h + "?policy=" + url.QueryEscape(read.Policy) + "&signature=" + read.Signature,
		"/" + key + "/security=p:" + unpadded + ",s:" + security.Sign(secret, unpadded) + "/resize=w:4/" + h,
		"/security=p:" + stdAlphabet + ",s:" + security.Sign(secret, stdAlphabet) + "/" + h,
	}
	for _, f := range forms {
		if r := e.do("GET", f, nil); r.status != 200 {
			t.Errorf("%s: %d %s", f, r.status, r.body)
		}
	}
	expired := security.New(secret, security.Policy{Expiry: 1000})
	forged := security.Credentials{Policy: read.Policy, Signature: strings.Repeat("0", 64)}
	noConvert := security.New(secret, security.Policy{Expiry: future(), Call: []string{"read"}})
	bad := []struct {
		c   security.Credentials
		p   string
		msg string
	}{
		{expired, "/" + h, "Policy expired"},
		{forged, "/" + h, "Invalid signature"},
		{noConvert, "/resize=w:4/" + h, "`convert`"},
		{security.New(secret, security.Policy{Expiry: future(), Handle: "BBBBBBBBBBBBBBBBBBBB"}), "/" + h, "this handle"},
		{security.Credentials{Policy: "!!!", Signature: security.Sign(secret, "!!!")}, "/" + h, "url-safe base64"},
	}
	for _, b := range bad {
		r := e.do("GET", b.p+"?policy="+url.QueryEscape(b.c.Policy)+"&signature="+b.c.Signature, nil)
		if r.status != 403 || !strings.Contains(string(r.body), b.msg) {
			t.Errorf("%s: %d %s, want 403 %q", b.msg, r.status, r.body, b.msg)
		}
	}
	sized := signed(security.Policy{Expiry: future(), MaxSize: 3, Path: "^uploads/"})
	if r := e.do("POST", "/api/store/S3?key="+key+"&path=uploads/x&"+sized.Encode(), strings.NewReader("toolong")); r.status != 403 || !strings.Contains(string(r.body), "maxSize") {
		t.Fatalf("maxSize: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/store/S3?key="+key+"&path=elsewhere/x&"+sized.Encode(), strings.NewReader("ok")); r.status != 403 || !strings.Contains(string(r.body), "policy path") {
		t.Fatalf("path regex: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/store/S3?key="+key+"&path=uploads/x&"+sized.Encode(), strings.NewReader("ok")); r.status != 200 {
		t.Fatalf("within policy: %d %s", r.status, r.body)
	}
	up := e.postJSON("/multipart/start", map[string]any{"apikey": key, "filename": "f", "size": 5})
	if up.status != 403 || !strings.Contains(string(up.body), "Invalid App policy") {
		t.Fatalf("multipart without policy: %d %s", up.status, up.body)
	}
}

// The emulator runs in the same process as its tests, so a JPEG with EXIF
// orientation is built by hand: a 2×1 image whose EXIF says "rotate 90°".
func TestRotateEXIF(t *testing.T) {
	e := newTEnv(t, Options{})
	img := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 40; x++ {
			img.Set(x, y, red)
			if x >= 20 {
				img.Set(x, y, blue)
			}
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 95})
	withExif := insertEXIFOrientation(b.Bytes(), 6)
	h := e.storeRaw(withExif, "&filename=o.jpg")
	r := e.do("GET", "/rotate=deg:exif/"+h, nil)
	out := decode(t, r.body)
	if out.Bounds().Dx() != 20 || out.Bounds().Dy() != 40 || !near(out.At(10, 5), red, 60) || !near(out.At(10, 35), blue, 60) {
		t.Fatalf("deg:exif: %v, top %v bottom %v", out.Bounds(), out.At(10, 5), out.At(10, 35))
	}
	if plain := decode(t, e.do("GET", "/resize=w:40/"+h, nil).body); plain.Bounds().Dx() != 40 {
		t.Fatalf("without exif rotation the stored orientation is kept: %v", plain.Bounds())
	}
}

// insertEXIFOrientation adds an APP1 EXIF segment with one Orientation tag.
func insertEXIFOrientation(jpg []byte, orientation byte) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	seg = append(seg, payload...)
	return append(append(append([]byte{}, jpg[:2]...), seg...), jpg[2:]...)
}

func TestWatermarkQualityAndMetadataStripping(t *testing.T) {
	e := newTEnv(t, Options{})
	base := e.storeRaw(pngBytes(image.NewNRGBA(image.Rect(0, 0, 200, 100))), "&filename=base.png")
	mark := e.storeRaw(pngBytes(quadrants(20, 20)), "&filename=mark.png")
	r := e.do("GET", "/watermark=file:"+mark+",size:50,position:[bottom,right]/"+base, nil)
	out := decode(t, r.body)
	// 50% of the 200 px width: a 100×100 mark in the bottom-right corner.
	if !near(out.At(110, 10), red, 30) || !near(out.At(190, 90), white, 30) || !near(out.At(50, 50), color.NRGBA{0, 0, 0, 0}, 30) {
		t.Fatalf("watermark misplaced: %v %v %v", out.At(110, 10), out.At(190, 90), out.At(50, 50))
	}
	if r := e.do("GET", "/watermark=file:notahandle/"+base, nil); r.status != 400 {
		t.Fatalf("bad watermark handle: %d", r.status)
	}

	var noisy bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 300, 300))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 131 % 251)
	}
	jpeg.Encode(&noisy, img, &jpeg.Options{Quality: 95})
	h := e.storeRaw(insertEXIFOrientation(noisy.Bytes(), 1), "&filename=n.jpg")
	hi := e.do("GET", "/quality=value:95/"+h, nil).body
	lo := e.do("GET", "/quality=value:20/"+h, nil).body
	if len(lo) >= len(hi) {
		t.Fatalf("quality 20 (%d bytes) not smaller than 95 (%d)", len(lo), len(hi))
	}
	for _, task := range []string{"no_metadata", "compress"} {
		if b := e.do("GET", "/"+task+"/"+h, nil).body; bytes.Contains(b, []byte("Exif\x00\x00")) {
			t.Fatalf("%s kept the EXIF segment", task)
		}
	}
}

// exif is the one call a policy without a call list does not allow.
func TestExifNeedsExplicitCall(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw([]byte("x"), "")
	all := signed(security.Policy{Expiry: future()})
	if r := e.do("GET", "/api/file/"+h+"/metadata?exif=true&"+all.Encode(), nil); r.status != 403 || !strings.Contains(string(r.body), "`exif`") {
		t.Fatalf("exif without the call: %d %s", r.status, r.body)
	}
	withExif := signed(security.Policy{Expiry: future(), Call: []string{"stat", "exif"}})
	if r := e.do("GET", "/api/file/"+h+"/metadata?exif=true&"+withExif.Encode(), nil); r.status != 400 || !strings.Contains(string(r.body), "not implemented") {
		t.Fatalf("exif with the call: %d %s", r.status, r.body)
	}
}
