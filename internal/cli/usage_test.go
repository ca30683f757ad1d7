package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestCLIVersionAndUsageErrors(t *testing.T) {
	c := newCLI(t)
	want := "fsdeck " + version
	// The revision a built binary names is checked in internal/e2e
	// (TestVersionNamesTheBuildRevision).
	for _, args := range [][]string{{"-v"}, {"--version"}, {"version"}} {
		out, _, code := c.run("", args...)
		if code != 0 || !strings.HasPrefix(out, want+" (") {
			t.Fatalf("%v: %d %q", args, code, out)
		}
	}
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"serv"}, 2, `unknown command "serv" for "fsdeck"; did you mean "serve"?`},
		{[]string{"uplaod"}, 2, `unknown command "uplaod" for "fsdeck"; did you mean "upload"?`},
		{[]string{"uplod", "x"}, 2, `unknown command "uplod" for "fsdeck"; did you mean "upload"?`},
		{[]string{"/no/such/dir"}, 2, "is not a directory"},
		{[]string{"upload"}, 2, "needs at least one PATH"},
		{[]string{"upload", "--nope", "x"}, 2, "unknown flag: --nope"},
		{[]string{"upload", "--part-size", "1MiB", "x"}, 2, "at least 5MiB"},
		{[]string{"key"}, 2, "set, delete or status"},
		{[]string{"serve", "--nope"}, 2, "unknown flag: --nope"},
		{[]string{"config", "wat"}, 2, "unknown config subcommand"},
	}
	for _, tc := range cases {
		_, errOut, code := c.run("", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.msg)
		}
	}
	out, _, code := c.run("", "config", "path")
	if code != 0 || strings.TrimSpace(out) != c.cfg+"/config.toml" {
		t.Errorf("config path: %d %q", code, out)
	}
}

func TestVersionFromBuildInfo(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "23f8fd29ab41dba972daadbcb6c33fda961ecf65"},
		{Key: "vcs.time", Value: "2026-11-30T05:27:54Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	if got, want := versionFrom(info), version+" (revision 23f8fd29ab41+dirty, 2026-11-30T05:27:54Z, go1.26.8)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := versionFrom(&debug.BuildInfo{GoVersion: "go1.26.8"}); got != version+" (go1.26.8, built without VCS information)" {
		t.Errorf("without VCS: %q", got)
	}
}
