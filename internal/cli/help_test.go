package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/fsdeck/fsdeck/internal/iostreams"
)

// Every command and subcommand of the tree answers --help (and `fsdeck
// help …`) with exit status 0 on stdout, listing each of its flags in the
// --long form (with its -s shorthand where it has one).
func TestHelpListsEveryFlagOfEveryCommand(t *testing.T) {
	c := newCLI(t)
	ios, _, _, _ := iostreams.Test()
	root := newRoot(&Factory{IOStreams: ios, Getenv: getenv(c.env()), WorkDir: c.dir})
	var paths [][]string
	var walk func(cmd *cobra.Command, path []string)
	walk = func(cmd *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() {
				walk(sub, append(append([]string(nil), path...), sub.Name()))
			}
		}
	}
	walk(root, nil)
	if len(paths) < 20 {
		t.Fatalf("only %d commands in the tree", len(paths))
	}
	for _, path := range paths {
		cmd, _, err := root.Find(path)
		if err != nil {
			t.Fatalf("%v: %v", path, err)
		}
		for _, args := range [][]string{append(append([]string(nil), path...), "--help"), append([]string{"help"}, path...)} {
			out, errOut, code := c.run("", args...)
			if code != 0 || errOut != "" {
				t.Errorf("fsdeck %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
				continue
			}
			cmd.InitDefaultHelpFlag()
			cmd.Flags().VisitAll(func(f *pflag.Flag) {
				want := "--" + f.Name
				if f.Shorthand != "" {
					want = "-" + f.Shorthand + ", --" + f.Name
				}
				if !strings.Contains(out, want+" ") && !strings.Contains(out, want+"\n") {
					t.Errorf("fsdeck %s does not list %s:\n%s", strings.Join(args, " "), want, out)
				}
			})
		}
	}
}

// The shell completions know the subcommands and flags of serve, key,
// config and doctor (cobra completes them from the tree).
func TestCompletionKnowsEveryCommandsFlags(t *testing.T) {
	c := newCLI(t)
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"key", ""}, []string{"set", "delete", "status"}},
		{[]string{"config", ""}, []string{"path", "check", "init", "default"}},
		{[]string{"key", "delete", "--"}, []string{"--secret", "--all", "--login", "--target"}},
		{[]string{"key", "set", "--target", ""}, []string{"gyazo", "pastebin"}},
		{[]string{"serve", "--"}, []string{"--addr", "--data", "--secret-file", "--security-required", "--memory-budget", "--fault", "--tls-cert"}},
		{[]string{"doctor", "--"}, []string{"--help"}},
	}
	for _, tc := range cases {
		out, errOut, code := c.run("", append([]string{"__complete"}, tc.args...)...)
		if code != 0 {
			t.Errorf("complete %v: exit %d %q", tc.args, code, errOut)
		}
		lines := map[string]bool{}
		for _, l := range strings.Split(out, "\n") {
			name, _, _ := strings.Cut(l, "\t")
			lines[name] = true
		}
		for _, w := range tc.want {
			if !lines[w] {
				t.Errorf("complete %v lacks %s:\n%s", tc.args, w, out)
			}
		}
	}
}
