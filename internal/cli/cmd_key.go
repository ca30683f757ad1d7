package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// runKey manages the API key and app secret in the OS keyring.
func runKey(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError("key needs a subcommand: set, delete or status")
	}
	fs := flag.NewFlagSet("fsdeck key "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	secret := fs.Bool("secret", false, "the app secret instead of the API key")
	all := fs.Bool("all", false, "both the API key and the app secret (delete)")
	login := fs.Bool("login", false, "with --target: the account login (user name, then password) instead of the key")
	target := fs.String("target", "", "a hosting target's key or token instead of Filestack's: "+strings.Join(builtin.Registry().Mounted(), ", "))
	if err := fs.Parse(args[1:]); err != nil {
		return usageError("%v", err)
	}
	if fs.NArg() > 0 {
		return usageError("key %s takes no arguments (the secret is read from a prompt or stdin, never the command line)", args[0])
	}
	s := store.NewSecrets()
	name, label := store.SecretAPIKey, "API key"
	if *secret {
		name, label = store.SecretAppSecret, "app secret"
	}
	if isHostTarget(*target) {
		if *secret || *all {
			return usageError("--secret and --all are Filestack's; a hosting target has one key")
		}
		return runTargetKey(args[0], *target, *login, s, stdin, stdout, stderr)
	} else if *login {
		return usageError("--login needs --target NAME of a target that takes a login (pastebin)")
	}
	switch args[0] {
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
		if *all {
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
	return usageError("unknown key subcommand %q (set, delete, status)", args[0])
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
func readSecret(stdin io.Reader, prompt io.Writer, label string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
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
func runTargetKey(sub, target string, login bool, s *store.Secrets, stdin io.Reader, stdout, stderr io.Writer) error {
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
func runKeyLogin(sub string, in hosts.Info, s *store.Secrets, stdin io.Reader, stdout, stderr io.Writer) error {
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
func readLogin(stdin io.Reader, prompt io.Writer, title string) (user, pass string, err error) {
	br := bufio.NewReader(stdin)
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
		fmt.Fprint(prompt, title+" user name: ")
		line, _ := br.ReadString('\n')
		if user = strings.TrimSpace(line); user == "" {
			return "", "", fmt.Errorf("no user name given")
		}
		p, err := readSecret(stdin, prompt, title+" password: ")
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
