package cli

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// Flag values a command cannot use are refused with exit status 2 and a
// sentence naming the flag, before anything is sent: local mode's address
// is held by another program here (a session would stop with status 1),
// and the data directory is not even created.
func TestCLIFlagValuesCheckedFirst(t *testing.T) {
	c := newCLIAddrHeld(t)
	c.file("f.txt", []byte("f"))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"upload", "--access", "secret", "f.txt"}, `--access "secret": use public or private`},
		{[]string{"upload", "--location", "mars", "f.txt"}, `--location "mars": use one of s3, gcs, azure, dropbox, rackspace`},
		{[]string{"upload", "--concurrency", "0", "f.txt"}, "--concurrency 0: give a number of files from 1 to 64"},
		{[]string{"upload", "--concurrency", "65", "f.txt"}, "--concurrency 65: give a number of files from 1 to 64"},
		{[]string{"upload", "--concurrency", "-3", "f.txt"}, "--concurrency -3: give a number of files from 1 to 64"},
		{[]string{"upload", "--quiet", "--json", "f.txt"}, "--json and --quiet cannot be used together: give one of them"},
		{[]string{"ls", "-q", "--json"}, "--json and --quiet cannot be used together"},
		{[]string{"get", "--stdout", "-o", "x", "AAAAAAAAAAAAAAAAAAAA"}, "--stdout and --output cannot be used together"},
		{[]string{"url", "--signed", "0s", "AAAAAAAAAAAAAAAAAAAA"}, `--signed needs a positive duration ("0s"): give a duration such as 10m, 1h, 2d or 1w`},
		{[]string{"url", "--signed", "1x", "AAAAAAAAAAAAAAAAAAAA"}, `--signed needs a positive duration ("1x")`},
		{[]string{"url", "--signed", "0d", "AAAAAAAAAAAAAAAAAAAA"}, `--signed needs a positive duration ("0d"): give a positive whole number of days`},
		{[]string{"upload", "--to", "NoSuch", "f.txt"}, `unknown target "nosuch"`},
	} {
		out, stderr, code := c.run("", tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d and %q", tc.args, code, out, stderr, exitUsage, tc.want)
		}
		if strings.Contains(stderr, "if any flags in the group") {
			t.Errorf("%q: cobra's sentence: %q", tc.args, stderr)
		}
	}
	c.noDataDir()
}

// The values the checks take still work: --location and --access in any
// case, --concurrency 64, --to in any case, --signed 1d (a day, the
// grammar of --expiry).
func TestCLIFlagValuesAccepted(t *testing.T) {
	c := newCLI(t)
	c.serve(t)
	c.file("f.txt", []byte("f"))
	c.file("p.png", clitest.PNG(t))
	out, errOut, code := c.run("", "upload", "--json", "--location", "S3", "--access", "Public", "--concurrency", "64", "f.txt")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusStored {
		t.Fatalf("upload: %d %q %q", code, out, errOut)
	}
	out, errOut, code = c.run("", "upload", "--json", "--to", "ImgBB", "p.png")
	rs2 := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs2) != 1 || rs2[0].Target != "imgbb" || rs2[0].Status != statusStored {
		t.Fatalf("upload --to ImgBB: %d %q %q", code, out, errOut)
	}
	if out, errOut, code := c.run("", "ls", "-q", "--target", "IMGBB"); code != 0 || strings.TrimSpace(out) != rs2[0].Handle {
		t.Errorf("ls --target IMGBB: %d %q %q", code, out, errOut)
	}
	out, errOut, code = c.run("", "url", rs[0].Handle, "--signed", "1d")
	if code != 0 {
		t.Fatalf("url --signed 1d: %d %q", code, errOut)
	}
	u, err := url.Parse(strings.TrimSpace(out))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := base64.URLEncoding.DecodeString(u.Query().Get("policy"))
	if err != nil {
		pol, err = base64.RawURLEncoding.DecodeString(u.Query().Get("policy"))
	}
	var p struct {
		Expiry int64 `json:"expiry"`
	}
	if err != nil || json.Unmarshal(pol, &p) != nil {
		t.Fatalf("policy of %q: %v %q", out, err, pol)
	}
	if left := time.Until(time.Unix(p.Expiry, 0)); left < 23*time.Hour || left > 25*time.Hour {
		t.Errorf("--signed 1d: the policy expires in %v", left)
	}
}
