//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchServer runs `fsdeck serve --quiet` on a free address with c's data
// directory (local mode then uses it) and returns its base URL and key.
func benchServer(b *testing.B, c *cli) (base, key string) {
	b.Helper()
	base, key, _ = benchServerCPU(b, c)
	return base, key
}

// benchServerCPU is benchServer that also returns a reader of the server
// process's CPU time so far (user+sys), for per-operation CPU metrics:
// on a shared machine CPU work is steadier than wall time.
func benchServerCPU(b *testing.B, c *cli) (base, key string, cpu func() time.Duration) {
	b.Helper()
	c.addr = freeAddr(b)
	srv := c.command("", "serve", "--quiet", "--addr", c.addr)
	var out bytes.Buffer
	srv.Stdout = &out
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() })
	waitListening(b, c.addr)
	var creds localCreds
	raw, err := os.ReadFile(filepath.Join(c.data, "local-server", "credentials.json"))
	if err != nil || json.Unmarshal(raw, &creds) != nil {
		b.Fatalf("local server credentials: %v", err)
	}
	return "http://" + c.addr, creds.APIKey, func() time.Duration { return procCPU(srv.Process.Pid) }
}

// procCPU reads a running process's user+sys time from /proc/PID/stat.
func procCPU(pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are
	// fields 14 and 15 of the whole line, in clock ticks (USER_HZ = 100).
	rest := string(raw[bytes.LastIndexByte(raw, ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// rusageCPU is a finished child's user+sys time.
func rusageCPU(st *os.ProcessState) time.Duration { return st.UserTime() + st.SystemTime() }

func needCurl(b *testing.B) {
	if _, err := exec.LookPath("curl"); err != nil {
		b.Skip("needs curl")
	}
}

// runQuiet runs a command and fails the benchmark on a non-zero exit.
func runQuiet(b *testing.B, cmd *exec.Cmd) *os.ProcessState {
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &errb
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %v\n%s", cmd.Args, err, errb.String())
	}
	return cmd.ProcessState
}

// BenchmarkUploadSmallFiles uploads 1,000 files of 4 KiB to the local
// server: `fsdeck upload -r` against a shell loop of curl simple stores
// (the baseline). Run with -count to alternate the two.
func BenchmarkUploadSmallFiles(b *testing.B) {
	needCurl(b)
	c := newCLI(b)
	base, key := benchServer(b, c)
	dir := filepath.Join(c.dir, "small")
	os.MkdirAll(dir, 0o755)
	for i := range 1000 {
		data := bytes.Repeat([]byte{byte(i)}, 4096)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.bin", i)), data, 0o644)
	}
	b.Run("fsdeck", func(b *testing.B) {
		for b.Loop() {
			runQuiet(b, c.command("", "upload", "-r", "-q", dir))
		}
	})
	b.Run("curl-loop", func(b *testing.B) {
		script := `for f in "$1"/*; do curl -sf -o /dev/null -F "fileUpload=@$f" "$2/api/store/S3?key=$3" || exit 1; done`
		for b.Loop() {
			runQuiet(b, exec.Command("bash", "-c", script, "bash", dir, base, key))
		}
	})
}

// BenchmarkUploadLargeFile uploads 1 GiB: `fsdeck upload` (multipart,
// parts in parallel, then complete) against one `curl -T` streaming PUT of
// the whole file to the same server's part endpoint (start and the part
// URL fetched first, as an upload must). It reports fsdeck's peak RSS.
func BenchmarkUploadLargeFile(b *testing.B) {
	needCurl(b)
	c := newCLI(b)
	base, key, srvCPU := benchServerCPU(b, c)
	big := filepath.Join(c.dir, "big.bin")
	f, err := os.Create(big)
	if err != nil {
		b.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := range 1024 {
		for j := range chunk {
			chunk[j] = byte(i*31 + j*7)
		}
		f.Write(chunk)
	}
	f.Close()
	b.Run("fsdeck", func(b *testing.B) {
		b.SetBytes(1 << 30)
		var peak int64
		var cpu time.Duration
		srv0 := srvCPU()
		for b.Loop() {
			st := runQuiet(b, c.command("", "upload", "-q", big))
			if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
				peak = max(peak, ru.Maxrss) // KiB on Linux
			}
			cpu += rusageCPU(st)
		}
		b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
		reportCPU(b, cpu, srvCPU()-srv0)
	})
	b.Run("curl-T", func(b *testing.B) {
		b.SetBytes(1 << 30)
		var cpu time.Duration
		srv0 := srvCPU()
		for b.Loop() {
			url, headers := partURL(b, base, key, 1<<30)
			args := []string{"-sf", "-o", "/dev/null", "-T", big}
			for k, v := range headers {
				args = append(args, "-H", k+": "+v)
			}
			cpu += rusageCPU(runQuiet(b, exec.Command("curl", append(args, url)...)))
		}
		reportCPU(b, cpu, srvCPU()-srv0)
	})
}

// reportCPU reports the client's and the server's CPU seconds per upload.
func reportCPU(b *testing.B, client, server time.Duration) {
	b.ReportMetric(client.Seconds()/float64(b.N), "client-cpu-s/op")
	b.ReportMetric(server.Seconds()/float64(b.N), "server-cpu-s/op")
}

// partURL starts a multipart upload and asks for part 1 covering size
// bytes, returning the presigned URL and its headers.
func partURL(b *testing.B, base, key string, size int64) (string, map[string]string) {
	var start struct {
		URI, Region string
		UploadID    string `json:"upload_id"`
	}
	post(b, base+"/multipart/start", map[string]any{"apikey": key, "filename": "big.bin", "mimetype": "application/octet-stream",
		"size": size, "store": map[string]string{"location": "s3"}}, &start)
	var part struct {
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	}
	post(b, base+"/multipart/upload", map[string]any{"apikey": key, "uri": start.URI, "region": start.Region,
		"upload_id": start.UploadID, "part": 1, "size": size, "store": map[string]string{"location": "s3"}}, &part)
	return part.URL, part.Headers
}

func post(b *testing.B, url string, body, out any) {
	raw, _ := json.Marshal(body)
	res, err := http.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	ans, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || json.Unmarshal(ans, out) != nil {
		b.Fatalf("%s: %d %s", url, res.StatusCode, strings.TrimSpace(string(ans)))
	}
}
