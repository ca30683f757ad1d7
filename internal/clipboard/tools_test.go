package clipboard

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// fakeTool installs an executable shell script named name on a PATH of
// its own.
func fakeTool(t *testing.T, name, script string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts stand in for clipboard tools")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir
}

// A tool that leaves a child serving the selection, as xclip and wl-copy
// do, holding on to its stdout and stderr: the copy still returns at
// once and counts as done.
func TestSystemToolForks(t *testing.T) {
	dir := fakeTool(t, "xclip", "cat > \"$(dirname \"$0\")/got\"\nsleep 30 &\nexit 0\n")
	env := System(os.Getenv)
	env.Getenv = func(k string) string { return map[string]string{"DISPLAY": ":0"}[k] }
	start := time.Now()
	r := Copy(context.Background(), "https://x/y", nil, env)
	if took := time.Since(start); took > DefaultTimeout {
		t.Errorf("copy took %v: it waited for the selection child", took)
	}
	if r.String() != "copied to system clipboard via xclip" || !r.OK() {
		t.Errorf("report %#v %q", r, r)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "got")); string(b) != "https://x/y" {
		t.Errorf("tool got %q", b)
	}
}

// A tool that never finishes is stopped by the timeout and reported so.
func TestSystemToolHangs(t *testing.T) {
	fakeTool(t, "wl-copy", "exec sleep 30\n")
	env := System(os.Getenv)
	env.Getenv = func(k string) string { return map[string]string{"WAYLAND_DISPLAY": "wayland-0"}[k] }
	env.Timeout = 100 * time.Millisecond
	start := time.Now()
	r := Copy(context.Background(), "https://x/y", nil, env)
	if took := time.Since(start); took > DefaultTimeout {
		t.Errorf("copy took %v", took)
	}
	if r.String() != "could not copy: no terminal, wl-copy timed out" || r.OK() || !r.Failed() {
		t.Errorf("report %#v %q", r, r)
	}
}
