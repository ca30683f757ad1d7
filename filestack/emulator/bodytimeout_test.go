package emulator

import (
	"bufio"
	"fmt"
	"image"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// slowClient opens a raw connection, sends head and then body bytes one by
// one every gap (stopping after sent bytes, or never when sent < 0), and
// returns how long the server took to answer or hang up.
func slowClient(t *testing.T, addr, head string, total, sent int, gap time.Duration) (time.Duration, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "%sContent-Length: %d\r\n\r\n", head, total)
	go func() {
		for i := 0; sent < 0 || i < sent; i++ {
			if _, err := conn.Write([]byte{'x'}); err != nil {
				return
			}
			time.Sleep(gap)
		}
	}()
	conn.SetReadDeadline(time.Now().Add(8 * time.Second))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return time.Since(start), line
}

// partPutHead gets a presigned part URL and returns the PUT's request head.
func partPutHead(t *testing.T, e *tenv, size int) string {
	t.Helper()
	st := e.postJSON("/multipart/start", map[string]any{"apikey": key, "filename": "a.bin", "mimetype": "application/octet-stream", "size": size}).json(t)
	up := e.postJSON("/multipart/upload", map[string]any{"apikey": key, "uri": st["uri"], "region": st["region"],
		"upload_id": st["upload_id"], "part": 1, "size": size}).json(t)
	u := strings.TrimPrefix(up["url"].(string), e.srv.URL)
	head := "PUT " + u + " HTTP/1.1\r\nHost: x\r\n"
	for k, v := range up["headers"].(map[string]any) {
		head += k + ": " + v.(string) + "\r\n"
	}
	return head
}

// TestBodyIdleTimeoutCutsStalledBodies: a body that stops arriving is cut
// after BodyIdleTimeout on every endpoint that reads one, and a store's
// temp file goes with it.
func TestBodyIdleTimeoutCutsStalledBodies(t *testing.T) {
	e := newTEnv(t, Options{BodyIdleTimeout: 300 * time.Millisecond})
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	heads := map[string]string{
		"store raw":       "POST /api/store/S3?key=" + key + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n",
		"store multipart": "POST /api/store/S3?key=" + key + " HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=BB\r\n",
		"multipart start": "POST /multipart/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
		"part put":        partPutHead(t, e, 10000),
		"process":         "POST /process HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
	}
	for name, head := range heads {
		t.Run(name, func(t *testing.T) {
			took, _ := slowClient(t, addr, head, 10000, 5, time.Millisecond)
			if took > 3*time.Second {
				t.Fatalf("a stalled body held the connection for %v (idle timeout 300ms)", took)
			}
		})
	}
	waitEmpty(t, filepath.Join(e.dir, "tmp"))
}

func waitEmpty(t *testing.T, dir string) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ents, _ := os.ReadDir(dir)
		if len(ents) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still holds %d files", dir, len(ents))
		}
	}
}

// TestBodyMinRateCutsTrickle: a client that keeps sending a byte now and
// then never idles long enough for the idle timeout, but falls under the
// minimum rate and is cut.
func TestBodyMinRateCutsTrickle(t *testing.T) {
	e := newTEnv(t, Options{BodyIdleTimeout: 400 * time.Millisecond, BodyMinRate: 100})
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	head := "POST /api/store/S3?key=" + key + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
	took, line := slowClient(t, addr, head, 100000, -1, 50*time.Millisecond)
	if took > 4*time.Second {
		t.Fatalf("a trickling body (20 B/s, minimum 100 B/s) held the connection for %v", took)
	}
	if line != "" && !strings.Contains(line, "408") && !strings.Contains(line, "400") {
		t.Fatalf("answer to a cut body: %q", line)
	}
	// A steady body is not affected.
	h := e.storeRaw(make([]byte, 1<<20), "")
	if r := e.do("GET", "/"+h, nil); r.status != 200 || len(r.body) != 1<<20 {
		t.Fatalf("regular store after a cut: %d, %d bytes", r.status, len(r.body))
	}
}

// noise is an image that does not compress, so its work costs like a photo.
func noise(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	x := uint32(2463534242)
	for i := range img.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img.Pix[i] = byte(x)
	}
	return img
}
