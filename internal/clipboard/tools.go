package clipboard

import (
	"context"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// System is the real environment: the process's variables as getenv
// reads them (the session's), its operating system and real commands.
func System(getenv func(string) string) Env {
	return Env{GOOS: runtime.GOOS, Getenv: getenv, Output: output, Feed: feed, LookPath: exec.LookPath}
}

// waitDelay bounds how long a finished or killed command may keep its
// pipes open (a clipboard daemon that inherited them).
const waitDelay = 200 * time.Millisecond

func output(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = waitDelay
	out, err := cmd.Output()
	return string(out), err
}

// feed leaves the command's stdout and stderr unset, so they go to the
// null device: nothing a tool prints can reach the terminal the UI draws
// on, and a selection-serving child holds no pipe of ours.
func feed(ctx context.Context, text, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(text)
	cmd.WaitDelay = waitDelay
	return cmd.Run()
}

// nativeTool picks the first installed clipboard program that reaches the
// user's clipboard, or nil.
func nativeTool(env Env) []string {
	if env.NoTools {
		return nil
	}
	for _, c := range toolCandidates(env) {
		if _, err := env.LookPath(c[0]); err == nil {
			return c
		}
	}
	return nil
}

// toolCandidates lists clipboard programs in order of preference. Over SSH
// only a forwarded X11 or Wayland display reaches the user: pbcopy or
// clip.exe would fill the remote machine's clipboard.
func toolCandidates(env Env) [][]string {
	ssh := env.Getenv("SSH_CONNECTION") != "" || env.Getenv("SSH_TTY") != "" || env.Getenv("SSH_CLIENT") != ""
	var c [][]string
	switch env.GOOS {
	case "darwin":
		if !ssh {
			c = append(c, []string{"pbcopy"})
		}
	case "windows":
		if !ssh {
			c = append(c, []string{"clip.exe"})
		}
	default:
		// WSL reaches the Windows clipboard through clip.exe; WSLg's
		// Wayland clipboard is a second choice.
		if !ssh && (env.Getenv("WSL_DISTRO_NAME") != "" || env.Getenv("WSL_INTEROP") != "") {
			c = append(c, []string{"clip.exe"})
		}
		if env.Getenv("WAYLAND_DISPLAY") != "" {
			c = append(c, []string{"wl-copy"})
		}
		if env.Getenv("DISPLAY") != "" {
			c = append(c, []string{"xclip", "-selection", "clipboard"}, []string{"xsel", "--clipboard", "--input"})
		}
	}
	return c
}
