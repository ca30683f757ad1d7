package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	sess "github.com/fsdeck/fsdeck/internal/session"
)

// Every target takes an upload in local mode (its emulator in the shared
// local server); JSON names the target, the URL is the emulator's, and
// where the service serves the bytes, get returns them exactly.
func TestCLIUploadToEveryTargetLocal(t *testing.T) {
	c := newCLI(t)
	c.serve(t)
	pic := clitest.PNG(t)
	text := []byte("notes ✓\nsecond line\n")
	c.file("p.png", pic)
	c.file("n.txt", text)
	for _, tc := range []struct {
		target, file string
		data         []byte
		servesBytes  bool
	}{
		{"filestack", "n.txt", text, true},
		{"imgbb", "p.png", pic, true},
		{"gyazo", "p.png", pic, true},
		{"pastebin", "n.txt", text, true},
		{"gofile", "p.png", pic, false},
		{"ddownload", "n.txt", text, false},
	} {
		out, errOut, code := c.run("", "upload", "--to", tc.target, "--json", tc.file)
		rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
		if code != 0 || len(rs) != 1 || rs[0].Status != statusStored || rs[0].Target != tc.target || rs[0].Handle == "" {
			t.Fatalf("%s: upload exit %d %q: %+v", tc.target, code, errOut, rs)
		}
		if want := "http://" + c.addr + "/" + tc.target + "/"; tc.target != "filestack" && !strings.HasPrefix(rs[0].URL, want) {
			t.Errorf("%s: url %q, want under %s", tc.target, rs[0].URL, want)
		}
		if !strings.Contains(out, `"target":"`+tc.target+`"`) {
			t.Errorf("%s: no target field in %s", tc.target, out)
		}
		id := rs[0].Handle
		ls, _, _ := c.run("", "ls", "--to", tc.target, "--json")
		if l := clitest.JSONLines[result](t, ls, clitest.ResultFields...); len(l) != 1 || l[0].Handle != id || l[0].Target != tc.target || l[0].URL != rs[0].URL {
			t.Errorf("%s: ls %+v", tc.target, l)
		}
		got, errOut, code := c.run("", "get", "--to", tc.target, "--stdout", id)
		switch {
		case tc.servesBytes && (code != 0 || !bytes.Equal([]byte(got), tc.data)):
			t.Errorf("%s: get exit %d %q: %d bytes, want %d exactly", tc.target, code, errOut, len(got), len(tc.data))
		case !tc.servesBytes && (code == 0 || !strings.Contains(errOut, "serves no URL fsdeck can fetch")):
			t.Errorf("%s: get exit %d %q", tc.target, code, errOut)
		}
	}
	// Filestack's ledger holds only its own upload.
	ls, _, _ := c.run("", "ls", "--json")
	if l := clitest.JSONLines[result](t, ls, clitest.ResultFields...); len(l) != 1 || l[0].Target != "filestack" {
		t.Errorf("filestack ls: %+v", l)
	}
}

// Flags a target lacks are refused before anything is sent, each with
// a message naming what the target offers.
func TestCLITargetFlagsChecked(t *testing.T) {
	c := newCLI(t)
	c.file("p.png", clitest.PNG(t))
	c.file("n.txt", []byte("text"))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"upload", "--to", "imgbb", "--expiry", "30s", "p.png"}, `imgbb offers expiry from 1m to 180d`},
		{[]string{"upload", "--to", "pastebin", "--expiry", "2h", "n.txt"}, `pastebin offers 10m, 1h, 1d, 1w, 2w, 30d, 180d, 365d`},
		{[]string{"upload", "--to", "gyazo", "--expiry", "1h", "p.png"}, "gyazo has no expiry option"},
		{[]string{"upload", "--to", "imgbb", "--privacy", "unlisted", "p.png"}, "imgbb has no privacy setting"},
		{[]string{"upload", "--to", "pastebin", "--privacy", "secret", "n.txt"}, "use public, unlisted or private"},
		{[]string{"get", "--to", "./dl", "AAAAAAAAAAAAAAAAAAAA"}, "--to names the service: a place on disk is -o PATH"},
		{[]string{"upload", "--to", "gyazo", "--intelligent", "p.png"}, "--intelligent is a Filestack storage option; gyazo does not take it"},
		{[]string{"upload", "--target", "gofile", "--store-path", "x/", "p.png"}, "--store-path is a Filestack storage option"},
		{[]string{"upload", "--expiry", "1h", "p.png"}, "Filestack has no such option"},
		{[]string{"upload", "--to", "dropbox", "p.png"}, `unknown target "dropbox": use one of filestack, ddownload, gofile, gyazo, imgbb, pastebin`},
		{[]string{"transform", "--to", "imgbb", "abc", "resize=width:10"}, "transform is Filestack-only"},
		{[]string{"url", "--to", "imgbb", "--signed", "1h", "abc"}, "--signed and --transform are Filestack-only"},
		{[]string{"key", "set", "--target", "dropbox"}, `unknown target "dropbox": use one of ddownload, gofile, gyazo, imgbb, pastebin`},
		{[]string{"key", "set", "--target", "gyazo", "tok"}, "never the command line"},
		{[]string{"key", "set", "--target", "gyazo", "--login"}, "gyazo takes no login, only a key"},
		{[]string{"key", "set", "--login"}, "--login needs --target NAME"},
	} {
		_, errOut, code := c.run("", tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	// A file the target cannot take fails before sending, with the reason.
	out, errOut, code := c.run("", "upload", "--to", "pastebin", "--json", "p.png")
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 1 || len(rs) != 1 || rs[0].Error != "pastebin: accepts text only" || rs[0].Target != "pastebin" {
		t.Errorf("png to pastebin: exit %d %q %+v", code, errOut, rs)
	}
	c.file("e.txt", nil)
	out, errOut, code = c.run("", "upload", "--to", "pastebin", "--json", "e.txt")
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 1 || len(rs) != 1 || rs[0].Error != "pastebin: file is empty; a text-only target needs some text" {
		t.Errorf("empty file to pastebin: exit %d %q %+v", code, errOut, rs)
	}
}

// stat, rm and url follow what each target's API can do; ls merges a
// Lister's server list, so an upload forgotten locally still shows.
func TestCLITargetAbilities(t *testing.T) {
	c := newCLI(t)
	c.serve(t)
	c.file("p.png", clitest.PNG(t))
	upload := func(target string) string {
		out, errOut, code := c.run("", "upload", "--to", target, "-q", "p.png")
		if code != 0 {
			t.Fatalf("upload to %s: %d %q", target, code, errOut)
		}
		return strings.TrimSpace(out)
	}
	gy, ib := upload("gyazo"), upload("imgbb")
	if out, errOut, code := c.run("", "stat", "--to", "gyazo", "--json", gy); code != 0 || clitest.JSONLines[result](t, out, clitest.ResultFields...)[0].Size == 0 {
		t.Errorf("stat gyazo: %d %q %s", code, errOut, out)
	}
	if _, errOut, code := c.run("", "stat", "--to", "imgbb", ib); code != 2 || !strings.Contains(errOut, "ImgBB cannot show an upload's metadata") {
		t.Errorf("stat imgbb: %d %q", code, errOut)
	}
	thumb, _, code := c.run("", "url", "--to", "imgbb", ib, "--as", "thumb")
	if code != 0 || !strings.HasPrefix(thumb, "http://"+c.addr+"/imgbb/") {
		t.Errorf("url --as thumb: %d %q", code, thumb)
	}
	del, _, _ := c.run("", "url", "--to", "imgbb", ib, "--as", "delete")
	if _, errOut, code := c.run("", "rm", "--to", "imgbb", "-y", ib); code != 2 || !strings.Contains(errOut, "imgbb cannot delete uploads") {
		t.Errorf("rm imgbb: %d %q", code, errOut)
	}
	if del == "" || del == thumb {
		t.Errorf("url --as delete: %q", del)
	}
	// Forgotten locally, the Gyazo upload is still on the server's list.
	if _, errOut, code := c.run("", "rm", "--to", "gyazo", "-y", "--forget-only", gy); code != 0 {
		t.Fatalf("forget: %d %q", code, errOut)
	}
	out, _, _ := c.run("", "ls", "--to", "gyazo", "--json")
	if l := clitest.JSONLines[result](t, out, clitest.ResultFields...); len(l) != 1 || l[0].Handle != gy {
		t.Fatalf("ls after forget: %+v", l)
	}
	out, errOut, code := c.run("", "rm", "--to", "gyazo", "-y", "--json", gy)
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 0 || rs[0].Status != statusDeleted || rs[0].Target != "gyazo" {
		t.Fatalf("rm gyazo: %d %q %+v", code, errOut, rs)
	}
	if out, _, _ := c.run("", "ls", "--to", "gyazo", "-q"); out != "" {
		t.Errorf("deleted upload still listed: %q", out)
	}
}

// Local mode logs in to the Pastebin emulator, so private pastes, the
// account's list and delete work offline; a private paste has no raw URL.
func TestCLIPastebinLoginLocal(t *testing.T) {
	c := newCLI(t)
	c.serve(t)
	c.file("n.txt", []byte("private words\n"))
	out, errOut, code := c.run("", "upload", "--to", "pastebin", "--privacy", "private", "--expiry", "1d", "--json", "n.txt")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || rs[0].Status != statusStored {
		t.Fatalf("private paste: %d %q %+v", code, errOut, rs)
	}
	id := rs[0].Handle
	if _, errOut, code := c.run("", "get", "--to", "pastebin", "--stdout", id); code == 0 || !strings.Contains(errOut, "serves no URL") || !strings.Contains(errOut, "the paste is private") {
		t.Errorf("get private: %d %q", code, errOut)
	}
	if _, _, code := c.run("", "rm", "--to", "pastebin", "-y", "--forget-only", id); code != 0 {
		t.Fatal("forget failed")
	}
	out, _, _ = c.run("", "ls", "--to", "pastebin", "-q")
	if strings.TrimSpace(out) != id {
		t.Fatalf("server list after forget: %q, want %s", out, id)
	}
	out, errOut, code = c.run("", "rm", "--to", "pastebin", "-y", "--json", id)
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 0 || rs[0].Status != statusDeleted {
		t.Fatalf("rm: %d %q %+v", code, errOut, rs)
	}
	if out, _, _ := c.run("", "ls", "--to", "pastebin", "-q"); out != "" {
		t.Errorf("deleted paste listed: %q", out)
	}
}

// --to and --target complete the target names.
func TestCLITargetCompletion(t *testing.T) {
	c := newCLI(t)
	for _, flag := range []string{"--to", "--target"} {
		out, _, code := c.run("", "__complete", "upload", flag, "")
		names := strings.Fields(strings.Split(out, ":")[0])
		if code != 0 || strings.Join(names, ",") != "filestack,ddownload,gofile,gyazo,imgbb,pastebin" {
			t.Errorf("%s: %d %q", flag, code, out)
		}
	}
}

// A target's key comes from its variable (status says so without
// printing it); --local still points the target at its emulator.
func TestCLITargetKeyFromEnvironment(t *testing.T) {
	c := newCLI(t)
	c.serve(t)
	c.file("p.png", clitest.PNG(t))
	const tok = "gyazo-token-do-not-print"
	run := func(args ...string) (string, string, int) {
		cmd := c.command("", args...)
		cmd.Env = append(cmd.Env, "FSDECK_GYAZO_KEY="+tok)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if err != nil {
			code = cmd.ProcessState.ExitCode()
		}
		return out.String(), errb.String(), code
	}
	out, errOut, code := run("key", "status", "--target", "gyazo")
	if code != 0 || !strings.Contains(out, "set (from the environment)") || strings.Contains(out+errOut, tok) {
		t.Fatalf("status: %d %q %q", code, out, errOut)
	}
	out, errOut, code = run("upload", "--to", "gyazo", "--local", "--json", "p.png")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || !strings.HasPrefix(rs[0].URL, "http://"+c.addr+"/gyazo/") || strings.Contains(out+errOut, tok) {
		t.Fatalf("--local upload: %d %q %+v", code, errOut, rs)
	}
}

// get, rm and stat of a file the server no longer has (deleted behind
// the ledger's back) fail with exit 1, say it is gone from the server and
// name the command that drops the ledger row (stat with status gone);
// that command then works, with no --yes needed.
func TestCLIGetAndRmOfAFileGoneFromTheServer(t *testing.T) {
	c := newCLI(t)
	c.serve(t)
	c.file("p.png", clitest.PNG(t))
	c.file("n.txt", []byte("text\n"))
	upload := func(args ...string) string {
		out, errOut, code := c.run("", append([]string{"upload", "--json"}, args...)...)
		rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
		if code != 0 || len(rs) != 1 {
			t.Fatalf("upload %v: %d %q", args, code, errOut)
		}
		return rs[0].Handle
	}
	gy, fs := upload("--to", "gyazo", "p.png"), upload("n.txt")
	var creds sess.LocalCreds
	raw, err := os.ReadFile(filepath.Join(c.data, "local-server", "credentials.json"))
	if err != nil || json.Unmarshal(raw, &creds) != nil {
		t.Fatalf("local server credentials: %v", err)
	}
	base := "http://" + c.addr
	fc, err := filestack.New(filestack.Config{APIKey: creds.APIKey, AppSecret: creds.AppSecret, APIBase: base + "/api", UploadBase: base, CDNBase: base})
	if err != nil {
		t.Fatal(err)
	}
	defer fc.Close()
	reg := builtin.Registry()
	in, _ := reg.Info("gyazo")
	gc, err := reg.New("gyazo", hosts.Config{BaseURL: in.LocalURL(base), Key: hosts.Key(creds.APIKey), MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := fc.Delete(context.Background(), fs); err != nil {
		t.Fatal(err)
	}
	if err := gc.(hosts.Deleter).Delete(context.Background(), gy); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"get", "--to", "gyazo", "-o", out + "/", gy}, "`fsdeck rm --to gyazo --forget-only " + gy + "`"},
		{[]string{"get", "--to", "gyazo", "--stdout", gy}, "`fsdeck rm --to gyazo --forget-only " + gy + "`"},
		{[]string{"rm", "--to", "gyazo", "--yes", gy}, "`fsdeck rm --to gyazo --forget-only " + gy + "`"},
		{[]string{"get", "-o", out + "/", fs}, "`fsdeck rm --forget-only " + fs + "`"},
		{[]string{"get", "--stdout", fs}, "`fsdeck rm --forget-only " + fs + "`"},
		{[]string{"rm", "--yes", fs}, "`fsdeck rm --forget-only " + fs + "`"},
	} {
		_, errOut, code := c.run("", tc.args...)
		if code != 1 || !strings.Contains(errOut, "gone from the server (404)") || !strings.Contains(errOut, tc.hint) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %s", tc.args, code, errOut, tc.hint)
		}
	}
	// stat says gone (as ls does from then on) with the same remedy, on
	// stderr and in error, and fails.
	for _, tc := range []struct {
		args []string
		h    string
		hint string
	}{
		{[]string{"stat", "--json", "--to", "gyazo", gy}, gy, "`fsdeck rm --to gyazo --forget-only " + gy + "`"},
		{[]string{"stat", "--json", fs}, fs, "`fsdeck rm --forget-only " + fs + "`"},
	} {
		out, errOut, code := c.run("", tc.args...)
		rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
		if code != 1 || len(rs) != 1 || rs[0].Status != "gone" || rs[0].Handle != tc.h || !strings.Contains(rs[0].Error, tc.hint) ||
			!strings.Contains(errOut, tc.h+": gone from the server (404)") || !strings.Contains(errOut, tc.hint) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
	if out, _, _ := c.run("", "ls", "--json"); !strings.Contains(out, `"status":"gone"`) {
		t.Errorf("ls after stat: %s", out)
	}
	// --forget-only touches only the ledger: no --yes needed without a
	// terminal.
	for _, args := range [][]string{{"rm", "--to", "gyazo", "--forget-only", "--yes", gy}, {"rm", "--forget-only", fs}} {
		if _, errOut, code := c.run("", args...); code != 0 {
			t.Errorf("%v: exit %d %q", args, code, errOut)
		}
	}
	for _, target := range []string{"gyazo", "filestack"} {
		if ls, _, _ := c.run("", "ls", "--to", target, "--json"); len(clitest.JSONLines[result](t, ls, clitest.ResultFields...)) != 0 {
			t.Errorf("%s ledger after --forget-only: %s", target, ls)
		}
	}
}
