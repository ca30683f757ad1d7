package emulator

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// TestPeakRSSResize24MP measures what an uncached resize of a 24 MP
// (6000×4000, 4:2:0) JPEG to 300 px adds to the server's peak RSS, each
// chain in a fresh process (the peak, VmHWM, is reset once the source is
// stored). Decoded at 1/8 it must stay under 24 MiB; the full decode held
// 36 MB of pixels alone. Linux only; run it with
//
//	FSDECK_PEAK_RSS=1 go test -run PeakRSS -v ./filestack/emulator
func TestPeakRSSResize24MP(t *testing.T) {
	if path := os.Getenv("FSDECK_PEAK_RSS_JPEG"); path != "" {
		peakRSSChild(t, path, os.Getenv("FSDECK_PEAK_RSS_CHAIN"))
		return
	}
	if os.Getenv("FSDECK_PEAK_RSS") == "" || runtime.GOOS != "linux" {
		t.Skip("measures peak RSS in subprocesses: set FSDECK_PEAK_RSS=1 (Linux)")
	}
	path := filepath.Join(t.TempDir(), "24mp.jpg")
	if err := os.WriteFile(path, photoJPEG(6000, 4000), 0o600); err != nil {
		t.Fatal(err)
	}
	growth := regexp.MustCompile(`peak RSS growth (\d+) KiB`)
	for _, spec := range []string{"resize=width:300", "resize=width:300,height:300,fit:crop", "blur=amount:1/resize=width:300"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPeakRSSResize24MP$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "FSDECK_PEAK_RSS_JPEG="+path, "FSDECK_PEAK_RSS_CHAIN="+spec)
		out, err := cmd.CombinedOutput()
		m := growth.FindSubmatch(out)
		if err != nil || m == nil {
			t.Fatalf("%s: %v\n%s", spec, err, out)
		}
		kib, _ := strconv.Atoi(string(m[1]))
		t.Logf("%-40s peak RSS growth %6.1f MiB", spec, float64(kib)/1024)
		if !strings.HasPrefix(spec, "blur") && kib > 24<<10 {
			t.Errorf("%s on 24 MP adds %.1f MiB to the peak RSS, want under 24", spec, float64(kib)/1024)
		}
	}
}

// peakRSSChild stores the JPEG at path, resets the peak RSS, runs the
// chain once and prints how far the peak rose above the RSS before it.
func peakRSSChild(t *testing.T, path, spec string) {
	e := newTEnv(t, Options{NoProcessCache: true})
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := e.do("POST", "/api/store/S3?key="+key, f, "Content-Type", "application/octet-stream")
	if r.status != 200 {
		t.Fatalf("store: %d %s", r.status, r.body)
	}
	u := r.json(t)["url"].(string)
	h := u[strings.LastIndex(u, "/")+1:]
	runtime.GC()
	debug.FreeOSMemory()
	// Writing 5 to clear_refs resets VmHWM to the current RSS.
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak RSS: %v", err)
	}
	base := procStatusKiB(t, "VmRSS")
	res, err := http.Get(e.srv.URL + "/" + spec + "/" + h)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d", spec, res.StatusCode)
	}
	fmt.Printf("%s: %d bytes, peak RSS growth %d KiB\n", spec, n, procStatusKiB(t, "VmHWM")-base)
}

// procStatusKiB reads a "Name: N kB" line of /proc/self/status.
func procStatusKiB(t *testing.T, name string) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
			v, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return v
		}
	}
	t.Fatalf("no %s in /proc/self/status", name)
	return 0
}
