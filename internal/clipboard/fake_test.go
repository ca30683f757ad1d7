package clipboard

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"time"
)

// fakeEnv is a machine described by tables: variables, installed programs,
// tmux's answers, and commands that fail or hang.
type fakeEnv struct {
	goos      string
	vars      map[string]string
	installed []string
	// tmux answers queries by their arguments after "-S socket"; a query
	// missing from the map fails. A nil map means tmux is not installed.
	tmux map[string]string
	// fail and hang hold fed commands (argv joined by spaces, without
	// "-S socket") that exit non-zero or never finish.
	fail, hang map[string]bool
	noTools    bool

	queries []string
	fed     []string // commands that took the text, as above
	texts   []string
}

func (f *fakeEnv) env() Env {
	return Env{
		GOOS:     f.goos,
		Getenv:   func(k string) string { return f.vars[k] },
		Output:   f.output,
		Feed:     f.feed,
		LookPath: f.lookPath,
		NoTools:  f.noTools,
		Timeout:  50 * time.Millisecond,
	}
}

// stripSocket drops "-S <socket>" after "tmux" and checks it named the
// socket from $TMUX.
func (f *fakeEnv) stripSocket(name string, args []string) (string, error) {
	if name != "tmux" {
		return strings.Join(append([]string{name}, args...), " "), nil
	}
	want := strings.Split(f.vars["TMUX"], ",")[0]
	if len(args) < 2 || args[0] != "-S" || args[1] != want {
		return "", errors.New("tmux run without -S " + want)
	}
	return strings.Join(append([]string{name}, args[2:]...), " "), nil
}

func (f *fakeEnv) output(ctx context.Context, name string, args ...string) (string, error) {
	cmd, err := f.stripSocket(name, args)
	if err != nil {
		return "", err
	}
	f.queries = append(f.queries, cmd)
	if f.tmux == nil {
		return "", exec.ErrNotFound
	}
	out, ok := f.tmux[strings.TrimPrefix(cmd, "tmux ")]
	if !ok {
		return "", errors.New("exit status 1")
	}
	return out + "\n", nil
}

func (f *fakeEnv) feed(ctx context.Context, text, name string, args ...string) error {
	cmd, err := f.stripSocket(name, args)
	if err != nil {
		return err
	}
	if f.hang[cmd] {
		<-ctx.Done()
		return errors.New("signal: killed")
	}
	if f.fail[cmd] || (name == "tmux" && f.tmux == nil) {
		return errors.New("exit status 1")
	}
	f.fed = append(f.fed, cmd)
	f.texts = append(f.texts, text)
	return nil
}

func (f *fakeEnv) lookPath(name string) (string, error) {
	for _, p := range f.installed {
		if p == name {
			return "/usr/bin/" + name, nil
		}
	}
	return "", exec.ErrNotFound
}

// tmuxAnswers is a tmux of the given version and settings; features is
// the attached client's #{client_termfeatures} ("" when none attached).
func tmuxAnswers(version, setClipboard, passthrough, features string) map[string]string {
	m := map[string]string{
		"-V":                                "tmux " + version,
		"show -gv set-clipboard":            setClipboard,
		"display -p #{client_termfeatures}": features,
	}
	if passthrough != "" {
		m["show -Apv allow-passthrough"] = passthrough
	}
	return m
}

const (
	tmuxVar  = "/tmp/tmux-1000/default,4242,0"
	xtermFet = "256,bpaste,ccolour,clipboard,cstyle,focus,mouse,title"
	noClip   = "bpaste,focus,title"
)
