package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// keyOptions are `fsdeck key set|delete|status`'s flags.
type keyOptions struct {
	IO      *iostreams.IOStreams
	factory *Factory
	// sub is the subcommand: set, delete or status.
	sub                string
	secret, all, login bool
	target             string
}

// newCmdKey is `fsdeck key` and its subcommands. The key alone, or an
// unknown subcommand, is a usage error naming the three.
func newCmdKey(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Store, remove or describe the API key and app secret (or a hosting target's key) in the OS keyring",
		Long: `Store, remove or describe the API key and app secret in the OS keyring
(service "fsdeck"), or with --target NAME a hosting target's key or token.
Secrets are read from a prompt without echo, or from standard input when it
is a pipe, never from the command line; the environment
(FILESTACK_API_KEY, FILESTACK_APP_SECRET, FSDECK_<TARGET>_KEY) stands in
for them.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("key needs a subcommand: set, delete or status")
			}
			return usageError("unknown key subcommand %q (set, delete, status)", args[0])
		},
	}
	cmd.AddCommand(
		newCmdKeySub(f, "set", "Store the API key (or --secret, or --target NAME's key or --login) read from a prompt or stdin", nil),
		newCmdKeySub(f, "delete", "Remove the API key (or --secret, --all, or --target NAME's key or --login) from the keyring", nil),
		newCmdKeySub(f, "status", "Say which keys are set and where from (fingerprints, never the keys)", nil),
	)
	return cmd
}

// newCmdKeySub is `fsdeck key SUB`; each takes the flags that mean
// something to it.
func newCmdKeySub(f *Factory, sub, short string, runF func(*keyOptions) error) *cobra.Command {
	opts := &keyOptions{IO: f.IOStreams, factory: f, sub: sub}
	cmd := &cobra.Command{
		Use:   sub,
		Short: short,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("key %s takes no arguments (the secret is read from a prompt or stdin, never the command line)", sub)
			}
			return nil
		},
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runKey(opts)
		},
	}
	fl := cmd.Flags()
	names := builtin.Registry().Mounted()
	if sub != "status" {
		fl.BoolVar(&opts.secret, "secret", false, "the app secret instead of the API key")
	}
	if sub == "delete" {
		fl.BoolVar(&opts.all, "all", false, "both the API key and the app secret")
	}
	if sub != "status" {
		fl.BoolVar(&opts.login, "login", false, "with --target: the account login (user name, then password) instead of the key")
	}
	fl.Var(targetValue{&opts.target}, "target", "a hosting target's key or token instead of Filestack's: "+strings.Join(names, ", "))
	cmd.RegisterFlagCompletionFunc("target", cobra.FixedCompletions(names, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// runKey manages the API key and app secret in the OS keyring.
func runKey(o *keyOptions) error {
	stdin, stdout, stderr := o.IO, o.IO.Out, o.IO.ErrOut
	s := o.factory.Secrets()
	name, label := store.SecretAPIKey, "API key"
	if o.secret {
		name, label = store.SecretAppSecret, "app secret"
	}
	if !sess.DefaultTarget(builtin.Registry(), o.target) {
		if o.secret || o.all {
			return usageError("--secret and --all are Filestack's; a hosting target has one key")
		}
		return runTargetKey(o.sub, o.target, o.login, s, stdin, stdout, stderr)
	} else if o.login {
		return usageError("--login needs --target NAME of a target that takes a login (pastebin)")
	}
	switch o.sub {
	case "set":
		v, err := readSecret(stdin, stderr, "Filestack "+label+": ")
		if err != nil {
			return err
		}
		if err := s.Set(name, v); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Stored the %s in the OS keyring (service %q).\n", label, store.KeyringService)
		return nil
	case "delete":
		names := []string{name}
		if o.all {
			names = []string{store.SecretAPIKey, store.SecretAppSecret}
		}
		for _, n := range names {
			if err := s.Delete(n); err != nil {
				return err
			}
		}
		fmt.Fprintln(stdout, "Removed from the OS keyring.")
		return nil
	case "status":
		var note keyringNote
		keyStatus(s, stdout, &note)
		for _, n := range builtin.Registry().Mounted() {
			if err := targetKeyStatus(s, stdout, n, &note); err != nil {
				return err
			}
		}
		note.explain(stdout)
		return nil
	}
	return usageError("unknown key subcommand %q (set, delete, status)", o.sub)
}

func keyStatus(s *store.Secrets, stdout io.Writer, note *keyringNote) {
	for _, item := range []struct{ name, label, env string }{{store.SecretAPIKey, "API key", store.EnvAPIKey},
		{store.SecretAppSecret, "app secret", store.EnvAppSecret}} {
		v, origin, err := s.Get(item.name)
		label := fmt.Sprintf("%-10s", item.label)
		switch {
		case err != nil:
			note.unknown(stdout, label, item.env, err)
		case v == "":
			fmt.Fprintf(stdout, "%s  not set\n", label)
		default:
			fmt.Fprintf(stdout, "%s  set (from the %s), fingerprint %s\n", label, origin, store.Fingerprint(v))
		}
	}
}

// keyringNote gathers "the keyring cannot be reached" over the lines of
// `key status`: each secret gets a short line, and the explanation (why,
// and what to do) is printed once after them, not once per secret.
type keyringNote struct {
	err  *store.NoKeyringError
	vars int
}

// unknown is the line of a secret that could not be read.
func (n *keyringNote) unknown(w io.Writer, label, env string, err error) {
	var nk *store.NoKeyringError
	if !errors.As(err, &nk) {
		fmt.Fprintf(w, "%s  unknown: %v\n", label, err)
		return
	}
	if n.err == nil {
		n.err = nk
	}
	n.vars++
	fmt.Fprintf(w, "%s  unknown: keyring not available (%s); %s can stand in\n", label, nk.Short(), env)
}

// explain prints the keyring's explanation, if any secret needed it.
func (n *keyringNote) explain(w io.Writer) {
	if n.err == nil {
		return
	}
	vars := "the variable named above"
	if n.vars > 1 {
		vars = "the variables named above"
	}
	fmt.Fprintf(w, "\n%v\n", &store.NoKeyringError{Err: n.err.Err, Env: vars})
}

// readSecret reads one line without echo when stdin is a terminal, or
// from a pipe otherwise; the value never goes to argv.
func readSecret(ios *iostreams.IOStreams, prompt io.Writer, label string) (string, error) {
	stdin := ios.In
	if f, ok := stdin.(term.File); ok && ios.IsStdinTTY() {
		fmt.Fprint(prompt, label)
		b, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("reading the secret: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("no secret on standard input")
	}
	return strings.TrimSpace(line), nil
}

// runTargetKey is `fsdeck key SUB --target NAME`: a hosting target's key
// (or, with --login, its account login).
func runTargetKey(sub, target string, login bool, s *store.Secrets, stdin *iostreams.IOStreams, stdout, stderr io.Writer) error {
	in, err := targetInfo(target)
	if err != nil {
		return err
	}
	if sub == "status" {
		var note keyringNote
		err := targetKeyStatus(s, stdout, in.Name, &note)
		note.explain(stdout)
		return err
	}
	if login {
		return runKeyLogin(sub, in, s, stdin, stdout, stderr)
	}
	name := store.TargetSecret(in.Name)
	switch sub {
	case "set":
		v, err := readSecret(stdin, stderr, in.Title+" key: ")
		if err != nil {
			return err
		}
		if err := s.Set(name, v); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Stored the %s key in the OS keyring (service %q, name %q).\n", in.Title, store.KeyringService, name)
		return nil
	case "delete":
		if err := s.Delete(name); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "Removed from the OS keyring.")
		return nil
	}
	return usageError("unknown key subcommand %q (set, delete, status)", sub)
}

// targetInfo is a hosting target's registry entry; an unknown name is a
// usage error listing the valid ones.
func targetInfo(name string) (hosts.Info, error) {
	reg := builtin.Registry()
	in, ok := reg.Info(name)
	if !ok {
		return in, usageError("unknown target %q: use one of %s", name, strings.Join(reg.Mounted(), ", "))
	}
	return in, nil
}

// targetKeyStatus says whether a hosting target's key is set and where
// from (never the key), and where to get one.
func targetKeyStatus(s *store.Secrets, stdout io.Writer, name string, note *keyringNote) error {
	in, err := targetInfo(name)
	if err != nil {
		return err
	}
	v, origin, err := s.Get(store.TargetSecret(name))
	label := fmt.Sprintf("%-10s", name)
	switch {
	case err != nil:
		note.unknown(stdout, label, store.TargetEnv(name), err)
	case v == "":
		fmt.Fprintf(stdout, "%s  not set: local mode uses its emulator (keyring name %q or %s; key from %s)\n",
			label, store.TargetSecret(name), store.TargetEnv(name), in.KeyHelp)
	default:
		fmt.Fprintf(stdout, "%s  set (from the %s), fingerprint %s\n", label, origin, store.Fingerprint(v))
	}
	if in.LoginHelp != "" {
		user, uo, _ := s.Get(store.TargetUser(name))
		pass, _, _ := s.Get(store.TargetPassword(name))
		if user != "" && pass != "" {
			fmt.Fprintf(stdout, "%-10s  login set for %s (from the %s)\n", "", text.Sanitize(user), uo)
		} else {
			fmt.Fprintf(stdout, "%-10s  no login (`fsdeck key set --target %s --login`: %s)\n", "", name, in.LoginHelp)
		}
	}
	return nil
}

// runKeyLogin stores or removes a target's account login: the user name
// and the password, each under its own keyring name.
func runKeyLogin(sub string, in hosts.Info, s *store.Secrets, stdin *iostreams.IOStreams, stdout, stderr io.Writer) error {
	if in.LoginHelp == "" {
		return usageError("%s takes no login, only a key", in.Name)
	}
	switch sub {
	case "set":
		user, pass, err := readLogin(stdin, stderr, in.Title)
		if err != nil {
			return err
		}
		if err := s.Set(store.TargetUser(in.Name), user); err != nil {
			return err
		}
		if err := s.Set(store.TargetPassword(in.Name), pass); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Stored the %s login in the OS keyring (service %q, names %q and %q).\n",
			in.Title, store.KeyringService, store.TargetUser(in.Name), store.TargetPassword(in.Name))
		return nil
	case "delete":
		for _, n := range []string{store.TargetUser(in.Name), store.TargetPassword(in.Name)} {
			if err := s.Delete(n); err != nil {
				return err
			}
		}
		fmt.Fprintln(stdout, "Removed from the OS keyring.")
		return nil
	}
	return usageError("unknown key subcommand %q (set, delete, status)", sub)
}

// readLogin reads a user name and a password: from a terminal, the name
// echoed and the password not; from a pipe, two lines.
func readLogin(ios *iostreams.IOStreams, prompt io.Writer, title string) (user, pass string, err error) {
	br := bufio.NewReader(ios.In)
	if _, ok := ios.In.(term.File); ok && ios.IsStdinTTY() {
		fmt.Fprint(prompt, title+" user name: ")
		line, _ := br.ReadString('\n')
		if user = strings.TrimSpace(line); user == "" {
			return "", "", fmt.Errorf("no user name given")
		}
		p, err := readSecret(ios, prompt, title+" password: ")
		return user, p, err
	}
	line, _ := br.ReadString('\n')
	user = strings.TrimSpace(line)
	line, _ = br.ReadString('\n')
	pass = strings.TrimSpace(line)
	if user == "" || pass == "" {
		return "", "", fmt.Errorf("give the user name and the password on two lines of standard input")
	}
	return user, pass, nil
}
