package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

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
	if err := fs.Parse(args[1:]); err != nil {
		return usageError("%v", err)
	}
	s := store.NewSecrets()
	name, label := store.SecretAPIKey, "API key"
	if *secret {
		name, label = store.SecretAppSecret, "app secret"
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
		return keyStatus(s, stdout)
	}
	return usageError("unknown key subcommand %q (set, delete, status)", args[0])
}

func keyStatus(s *store.Secrets, stdout io.Writer) error {
	for _, item := range []struct{ name, label string }{{store.SecretAPIKey, "API key"}, {store.SecretAppSecret, "app secret"}} {
		v, origin, err := s.Get(item.name)
		switch {
		case err != nil:
			fmt.Fprintf(stdout, "%-10s  unknown: %v\n", item.label, err)
			continue
		case v == "":
			fmt.Fprintf(stdout, "%-10s  not set\n", item.label)
		default:
			fmt.Fprintf(stdout, "%-10s  set (from the %s), fingerprint %s\n", item.label, origin, store.Fingerprint(v))
		}
	}
	return nil
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
