//go:build linux

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// firstFrame is one start of the interface: from exec to its first byte
// on the terminal (Bubble Tea's package initialisation asks for the
// background colour, OSC 11, before main: the runtime's start and the
// package initialisations before it), to its first frame (the title and
// both panes drawn) and to the listings in both panes.
type firstFrame struct{ first, frame, ready time.Duration }

// startTUI execs fsdeck on a fresh pseudo-terminal in s, answering the
// terminal queries a terminal answers (background colour, cursor
// position), and times its first frame and the listings (the work
// directory is empty and nothing is uploaded yet); then stops it.
func startTUI(b *testing.B, s *sandbox, bin string) firstFrame {
	m, tty := clitest.OpenPTY(b, 120, 40)
	defer m.Close()
	cmd := exec.Command(bin)
	cmd.Env, cmd.Dir = s.env(), s.work
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tty.Close()
		b.Fatal(err)
	}
	tty.Close()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		// Read on until the program has gone, so its last writes never
		// block on a full terminal.
		go func() {
			buf := make([]byte, 4096)
			for {
				if _, err := m.Read(buf); err != nil {
					return
				}
			}
		}()
		cmd.Wait()
	}()
	var r firstFrame
	var out []byte
	buf := make([]byte, 1<<16)
	deadline := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for {
		n, err := m.Read(buf)
		got := buf[:n]
		if r.first == 0 && n > 0 {
			r.first = time.Since(start)
		}
		out = append(out, got...)
		if bytes.Contains(got, []byte("\x1b]11;?")) {
			m.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
		}
		if bytes.Contains(got, []byte("\x1b[6n")) {
			m.WriteString("\x1b[1;1R")
		}
		if r.frame == 0 && bytes.Contains(out, []byte(" fsdeck ")) && bytes.Contains(out, []byte("Local")) && bytes.Contains(out, []byte("Remote")) {
			r.frame = time.Since(start)
		}
		if r.frame != 0 && bytes.Contains(out, []byte("empty directory")) && bytes.Contains(out, []byte("nothing uploaded yet")) {
			r.ready = time.Since(start)
			return r
		}
		if err != nil {
			b.Fatalf("fsdeck ended before its listings (%v):\n%q", err, out)
		}
	}
}

// BenchmarkExecToFirstFrame execs the built binary on a pseudo-terminal
// in local mode, a new data directory each time (its server starts, its
// ledger is made), and reports the median time from exec to the first
// frame and to both panes' listings. With FSDECK_BENCH_BASELINE naming
// another fsdeck binary (an earlier build), each iteration runs both in
// alternating order and the median of the per-pair ratios (baseline ÷
// this build, above 1 when this one draws sooner) is reported too.
func BenchmarkExecToFirstFrame(b *testing.B) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	other := os.Getenv("FSDECK_BENCH_BASELINE")
	var firsts, frames, readies, baseFrames, ratios []float64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s := newSandbox(b, clitest.FreeAddr(b))
		o := newSandbox(b, clitest.FreeAddr(b))
		b.StartTimer()
		var base firstFrame
		if other != "" && i%2 == 1 {
			base = startTUI(b, o, other)
		}
		r := startTUI(b, s, bin)
		if other != "" && i%2 == 0 {
			base = startTUI(b, o, other)
		}
		firsts, frames, readies = append(firsts, ms(r.first)), append(frames, ms(r.frame)), append(readies, ms(r.ready))
		if other != "" {
			baseFrames, ratios = append(baseFrames, ms(base.frame)), append(ratios, base.frame.Seconds()/r.frame.Seconds())
			b.Logf("pair %d: first frame %.1f ms (first byte %.1f ms, listed %.1f ms), baseline %.1f ms (first byte %.1f ms, listed %.1f ms), ratio %.2f",
				i+1, ms(r.frame), ms(r.first), ms(r.ready), ms(base.frame), ms(base.first), ms(base.ready), ratios[i])
		}
	}
	b.ReportMetric(median(firsts), "first-byte-ms")
	b.ReportMetric(median(frames), "first-frame-ms")
	b.ReportMetric(median(readies), "listed-ms")
	if other != "" {
		b.ReportMetric(median(baseFrames), "baseline-first-frame-ms")
		b.ReportMetric(median(ratios), "median-ratio")
	}
}
