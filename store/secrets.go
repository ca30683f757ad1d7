package store

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name under which secrets are stored.
const KeyringService = "fsdeck"

// Secret names (keyring user names) and their environment variables.
const (
	SecretAPIKey    = "api-key"
	SecretAppSecret = "app-secret"
	EnvAPIKey       = "FILESTACK_API_KEY"
	EnvAppSecret    = "FILESTACK_APP_SECRET"
)

// TargetSecret is the keyring name of a hosting target's key or token
// ("gyazo" → "gyazo-key"), beside Filestack's "api-key".
func TargetSecret(target string) string { return target + "-key" }

// TargetEnv is the environment variable that overrides a hosting target's
// key ("gyazo" → "FSDECK_GYAZO_KEY"), as FILESTACK_API_KEY does Filestack's.
func TargetEnv(target string) string {
	return "FSDECK_" + strings.ToUpper(strings.ReplaceAll(target, "-", "_")) + "_KEY"
}

// TargetUser and TargetPassword are the keyring names of a hosting
// target's account login ("pastebin-user", "pastebin-password"), for the
// calls that need one beside the key; their variables are
// FSDECK_PASTEBIN_USER and FSDECK_PASTEBIN_PASSWORD.
func TargetUser(target string) string { return target + "-user" }

// TargetPassword is the keyring name of a target's account password.
func TargetPassword(target string) string { return target + "-password" }

// envFor is the environment variable of a secret name ("" for none):
// "gyazo-key" → FSDECK_GYAZO_KEY, "pastebin-user" → FSDECK_PASTEBIN_USER.
func envFor(name string) string {
	switch name {
	case SecretAPIKey:
		return EnvAPIKey
	case SecretAppSecret:
		return EnvAppSecret
	}
	for _, kind := range []string{"key", "user", "password"} {
		if t, ok := strings.CutSuffix(name, "-"+kind); ok && t != "" {
			return "FSDECK_" + strings.ToUpper(strings.ReplaceAll(t, "-", "_")) + "_" + strings.ToUpper(kind)
		}
	}
	return ""
}

// Keyring is the part of the OS keyring fsdeck uses; go-keyring's package
// functions satisfy it through OSKeyring.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// OSKeyring is the real keyring: Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows.
type OSKeyring struct {
	// Getenv is where the D-Bus session bus is looked up (nil: an empty
	// environment); tests of go-keyring's mock provider give it a bus
	// address.
	Getenv func(string) string
}

func (k OSKeyring) busMissing() error {
	if k.Getenv == nil {
		return noSessionBus(func(string) string { return "" })
	}
	return noSessionBus(k.Getenv)
}

// Get reads a secret.
func (k OSKeyring) Get(service, user string) (string, error) {
	if err := k.busMissing(); err != nil {
		return "", err
	}
	return keyring.Get(service, user)
}

// Set writes a secret.
func (k OSKeyring) Set(service, user, password string) error {
	if err := k.busMissing(); err != nil {
		return err
	}
	return keyring.Set(service, user, password)
}

// Delete removes a secret.
func (k OSKeyring) Delete(service, user string) error {
	if err := k.busMissing(); err != nil {
		return err
	}
	return keyring.Delete(service, user)
}

// Secrets resolves the API key and app secret: the environment first, then
// the OS keyring. Nothing is ever written to a file.
type Secrets struct {
	Keyring Keyring
	Getenv  func(string) string
}

// NewSecretsEnv uses the OS keyring and the environment getenv reads,
// for the variables that stand in for secrets and for where the session
// bus is (so commands run in-process with an environment of their own).
func NewSecretsEnv(getenv func(string) string) *Secrets {
	return &Secrets{Keyring: OSKeyring{Getenv: getenv}, Getenv: getenv}
}

// Origin says where a secret came from.
type Origin string

// Origins of a secret.
const (
	OriginNone    Origin = ""
	OriginEnv     Origin = "environment"
	OriginKeyring Origin = "keyring"
)

// errNoSessionBus: the Secret Service is reached over the D-Bus session
// bus, and there is none (Linux and the BSDs only).
var errNoSessionBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and there is no $XDG_RUNTIME_DIR/bus)")

// NoKeyringError means the OS keyring cannot be reached. Its message says
// why and what to do instead: Env names the variable that can stand in
// for the secret asked for ("" means Filestack's).
type NoKeyringError struct {
	Err error
	Env string
}

func (e *NoKeyringError) Error() string {
	vars := EnvAPIKey + " (and " + EnvAppSecret + ")"
	if e.Env != "" && e.Env != EnvAPIKey && e.Env != EnvAppSecret {
		vars = e.Env
	}
	hint := "set " + vars + " in the environment instead"
	if runtime.GOOS == "linux" || runtime.GOOS == "freebsd" {
		hint = "no usable Secret Service on D-Bus (none is running, as on many headless boxes, or its keyring is locked). Either set " + vars +
			" in the environment, or run under a Secret Service, e.g. " +
			"`dbus-run-session -- sh -c 'echo pw | gnome-keyring-daemon --unlock >/dev/null; fsdeck'`"
	}
	return "the OS keyring is not available (" + firstLine(e.Err) + "): " + hint + ". fsdeck never writes secrets to a file."
}

func (e *NoKeyringError) Unwrap() error { return e.Err }

// Short names the cause in a few words, for a status line.
func (e *NoKeyringError) Short() string {
	switch {
	case strings.Contains(firstLine(e.Err), "unlock"):
		return "keyring locked"
	case errors.Is(e.Err, errNoSessionBus):
		return "no D-Bus session bus"
	case runtime.GOOS == "linux" || runtime.GOOS == "freebsd":
		return "no Secret Service"
	}
	return firstLine(e.Err)
}

func firstLine(err error) string {
	if err == nil {
		return "unknown error"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// Get returns a secret and where it came from; "" with OriginNone when unset.
// A keyring failure is returned as *NoKeyringError.
func (s *Secrets) Get(name string) (string, Origin, error) {
	if env := envFor(name); env != "" {
		if v := strings.TrimSpace(s.Getenv(env)); v != "" {
			return v, OriginEnv, nil
		}
	}
	v, err := s.Keyring.Get(KeyringService, name)
	switch {
	case err == nil:
		return v, OriginKeyring, nil
	case errors.Is(err, keyring.ErrNotFound):
		return "", OriginNone, nil
	}
	return "", OriginNone, &NoKeyringError{Err: err, Env: envFor(name)}
}

// Set stores a secret in the keyring.
func (s *Secrets) Set(name, value string) error {
	value = strings.TrimSpace(value)
	if value == "" {
		return fmt.Errorf("empty %s: nothing stored", name)
	}
	if strings.ContainsAny(value, "\x00\r\n") {
		return fmt.Errorf("the %s contains control characters; paste it again", name)
	}
	if err := s.Keyring.Set(KeyringService, name, value); err != nil {
		return &NoKeyringError{Err: err, Env: envFor(name)}
	}
	return nil
}

// Delete removes a secret from the keyring; a missing one is not an error.
func (s *Secrets) Delete(name string) error {
	err := s.Keyring.Delete(KeyringService, name)
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return &NoKeyringError{Err: err, Env: envFor(name)}
}
