package emulator

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/security"
)

// solid is a w×h image of one colour.
func solid(w, h int, c color.NRGBA) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
	return img
}

// A processing cache hit must not skip the policy check on the other files
// a chain reads: once a broad policy has cached the watermark output, a
// policy for HB only must still be refused, as it is cold.
func TestCachedChainStillAuthorizesEveryFile(t *testing.T) {
	e := newTEnv(t, Options{})
	hb := e.storeRaw(pngBytes(image.NewNRGBA(image.Rect(0, 0, 40, 20))), "&filename=b.png")
	hd := e.storeRaw(pngBytes(quadrants(20, 20)), "&filename=d.png")
	chain := "/watermark=file:" + hd + "/output=format:png/" + hb
	all := secTask(security.New(secret, security.Policy{Expiry: future(), Call: []string{"convert", "read"}}))
	onlyB := secTask(security.New(secret, security.Policy{Expiry: future(), Call: []string{"convert", "read"}, Handle: hb}))
	for i := 0; i < 2; i++ {
		if r := e.do("GET", "/"+key+"/"+all+chain, nil); r.status != 200 || !near(decode(t, r.body).At(12, 2), red, 30) {
			t.Fatalf("watermark under a policy for every handle (request %d): %d %s", i+1, r.status, truncate(string(r.body), 80))
		}
	}
	r := e.do("GET", "/"+key+"/"+onlyB+chain, nil)
	if r.status != 403 {
		t.Errorf("cached watermark output under a policy for HB only: %d, want 403", r.status)
	}
	if bytes.HasPrefix(r.body, []byte("\x89PNG")) {
		t.Errorf("a refused request carried image bytes")
	}
}

// The cache key covers the version of every file the chain reads, so an
// overwritten watermark shows at once and a deleted one fails as it would
// cold, instead of the cached pixels of the old file.
func TestCachedChainFollowsWatermarkVersion(t *testing.T) {
	e := newTEnv(t, Options{})
	hb := e.storeRaw(pngBytes(image.NewNRGBA(image.Rect(0, 0, 40, 20))), "&filename=b.png")
	hd := e.storeRaw(pngBytes(quadrants(20, 20)), "&filename=d.png")
	chain := "/watermark=file:" + hd + "/output=format:png/" + hb
	get := func() resp { return e.do("GET", "/"+key+chain, nil) }
	for i := 0; i < 2; i++ {
		if r := get(); r.status != 200 || !near(decode(t, r.body).At(12, 2), red, 30) {
			t.Fatalf("watermark before overwrite (request %d): %d %s", i+1, r.status, truncate(string(r.body), 80))
		}
	}
	write := signed(security.Policy{Expiry: future(), Call: []string{"write", "remove"}, Handle: hd}).Encode()
	if r := e.do("POST", "/api/file/"+hd+"?"+write, bytes.NewReader(pngBytes(solid(20, 20, green))), "Content-Type", "image/png"); r.status != 200 {
		t.Fatalf("overwrite HD: %d %s", r.status, r.body)
	}
	r := get()
	if r.status != 200 {
		t.Fatalf("watermark after overwrite: %d %s", r.status, truncate(string(r.body), 80))
	}
	if got := decode(t, r.body).At(12, 2); !near(got, green, 30) {
		t.Errorf("watermark after overwriting HD shows %v at (12,2), want the new green (stale cache?)", got)
	}
	if r := e.do("DELETE", "/api/file/"+hd+"?"+write, nil); r.status != 200 {
		t.Fatalf("delete HD: %d %s", r.status, r.body)
	}
	if r := get(); r.status != 404 {
		t.Errorf("watermark of a deleted file: %d, want 404 as when uncached", r.status)
	}
}
