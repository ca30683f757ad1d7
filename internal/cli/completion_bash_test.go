package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
)

// envBinaryIsFsdeck makes this test binary fsdeck itself (cli.Main), for
// the shells the completion test runs, which call the program by name.
const envBinaryIsFsdeck = "FSDECK_TEST_BINARY_IS_FSDECK"

func init() {
	if os.Getenv(envBinaryIsFsdeck) == "1" {
		os.Exit(Main(context.Background(), os.Args[1:]))
	}
}

// bashComplete sources fsdeck's bash completion in a plain bash (--norc:
// no bash-completion package) and completes each line as Tab at its end
// would, returning what each offers (the words, descriptions cut off) and
// bash's stderr.
func bashComplete(t *testing.T, c *cli, lines []string) (map[string][]string, string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("needs bash")
	}
	script, errOut, code := c.run("", "completion", "bash")
	if code != 0 {
		t.Fatalf("completion bash: %d %q", code, errOut)
	}
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(dir, "fsdeck")); err != nil {
		t.Fatal(err)
	}
	compFile := filepath.Join(dir, "fsdeck.bash")
	os.WriteFile(compFile, []byte(script), 0o644)
	var sh strings.Builder
	sh.WriteString(`if declare -F _get_comp_words_by_ref >/dev/null; then echo "bash-completion is loaded" >&2; exit 3; fi
source "$1"
comp() {
    COMP_LINE=$1 COMP_POINT=${#1} COMPREPLY=()
    read -ra COMP_WORDS <<<"$1"
    [[ $1 == *' ' ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    __start_fsdeck 2> >(grep -v 'compopt: not currently executing completion function' >&2)
    printf '%s' "$1"
    printf '\t%s' "${COMPREPLY[@]}"
    printf '\n'
}
`)
	for _, l := range lines {
		sh.WriteString("comp '" + l + "'\n")
	}
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", sh.String(), "bash", compFile)
	cmd.Env = append(c.env(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"), envBinaryIsFsdeck+"=1", "COLUMNS=200")
	cmd.Dir = c.dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, stderr.String())
	}
	got := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		fields := strings.Split(l, "\t")
		got[fields[0]] = fields[1:]
	}
	return got, stderr.String()
}

// Bash completion works in a plain bash without the bash-completion
// package (it said `_get_comp_words_by_ref: command not found`), and
// covers every command, every flag of each, the key and config
// subcommands, the targets, the flags' values and the ledger's handles
// with their file names.
func TestCLIBashCompletionInPlainBash(t *testing.T) {
	c := newCLI(t)
	c.file("first.txt", []byte("1"))
	c.file("second.txt", []byte("2"))
	out, errOut, code := c.run("", "upload", "-q", "first.txt", "second.txt")
	handles := strings.Fields(out)
	if code != 0 || len(handles) != 2 {
		t.Fatalf("upload: %d %q %q", code, out, errOut)
	}
	root := newRoot(&Factory{IOStreams: iostreams.New(nil, nil, nil), Getenv: func(string) string { return "" }})
	var commands []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			if !sub.Hidden {
				commands = append(commands, sub)
				walk(sub)
			}
		}
	}
	walk(root)
	targets := sess.TargetNames(builtin.Registry())
	want := map[string][]string{
		"fsdeck key ":                               {"set", "delete", "status"},
		"fsdeck config ":                            {"path", "check", "init", "default"},
		"fsdeck completion ":                        {"bash", "zsh", "fish", "powershell"},
		"fsdeck upload --to ":                       targets,
		"fsdeck ls --target ":                       targets,
		"fsdeck key set --target ":                  targets[1:],
		"fsdeck upload --location ":                 storeLocations,
		"fsdeck upload --access ":                   {"public", "private"},
		"fsdeck upload --privacy ":                  {"public", "unlisted", "private"},
		"fsdeck upload --expiry ":                   {"1h", "1d", "1w"},
		"fsdeck url AAAAAAAAAAAAAAAAAAAA --signed ": {"1h", "1d", "1w"},
		"fsdeck url AAAAAAAAAAAAAAAAAAAA --as ":     {"url", "markdown", "html", "curl"},
		"fsdeck ls --sort ":                         {"date", "name", "size", "type"},
		"fsdeck serve --limits ":                    {"on", "off", "imgbb=off"},
	}
	exact := map[string][]string{
		"fsdeck upload --to=gy": {"gyazo"},
		"fsdeck ls ":            nil,
		"fsdeck version ":       nil,
	}
	var names []string
	for _, cmd := range root.Commands() {
		if !cmd.Hidden {
			names = append(names, cmd.Name())
		}
	}
	want["fsdeck "] = names
	for _, cmd := range []string{"url", "get", "rm", "stat", "import", "transform"} {
		want["fsdeck "+cmd+" "] = handles
	}
	// Every flag of serve and upload, in bash; of every command below.
	flagsOf := func(cmd *cobra.Command) []string {
		var flags []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				flags = append(flags, "--"+f.Name)
			}
		})
		return flags
	}
	for _, cmd := range commands {
		if n := cmd.Name(); n == "serve" || n == "upload" {
			want[cmd.CommandPath()+" --"] = flagsOf(cmd)
		}
	}
	var lines []string
	for l := range want {
		lines = append(lines, l)
	}
	for l := range exact {
		lines = append(lines, l)
	}
	got, stderr := bashComplete(t, c, lines)
	if strings.Contains(stderr, "command not found") || strings.TrimSpace(stderr) != "" {
		t.Errorf("bash's stderr: %s", stderr)
	}
	words := func(line string) []string {
		var w []string
		for _, item := range got[line] {
			if item == "" {
				continue
			}
			item, _, _ = strings.Cut(item, "  (")
			w = append(w, strings.TrimSpace(item))
		}
		return w
	}
	for line, items := range want {
		offered := words(line)
		for _, item := range items {
			if !slices.Contains(offered, item) {
				t.Errorf("%q: %q not offered (offered %q)", line, item, got[line])
			}
		}
	}
	for line, items := range exact {
		if offered := words(line); !slices.Equal(offered, items) {
			t.Errorf("%q: offered %q, want exactly %q", line, offered, items)
		}
	}
	// Every flag of every command, as the program gives them to each
	// shell's script.
	for _, cmd := range commands {
		args := append(strings.Fields(strings.TrimPrefix(cmd.CommandPath(), "fsdeck ")), "--")
		out, _, code := c.run("", append([]string{"__complete"}, args...)...)
		for _, f := range flagsOf(cmd) {
			if code != 0 || !strings.Contains(out, f+"\t") && !strings.Contains(out, f+"\n") {
				t.Errorf("fsdeck %s: %s not offered: %q", strings.Join(args, " "), f, out)
			}
		}
	}
	// Handles come with their file names.
	for _, item := range got["fsdeck url "] {
		if !strings.Contains(item, "(first.txt)") && !strings.Contains(item, "(second.txt)") {
			t.Errorf("url: %q has no file name", item)
		}
	}
}
