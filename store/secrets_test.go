package store

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// mockBus is the OS keyring told a session bus exists, so that calls reach
// go-keyring's mock provider.
var mockBus = OSKeyring{Getenv: func(k string) string {
	if k == "DBUS_SESSION_BUS_ADDRESS" {
		return "unix:path=/mock"
	}
	return ""
}}

func TestSecretsWithMockKeyring(t *testing.T) {
	keyring.MockInit()
	env := map[string]string{}
	s := &Secrets{Keyring: mockBus, Getenv: func(k string) string { return env[k] }}
	if v, o, err := s.Get(SecretAPIKey); v != "" || o != OriginNone || err != nil {
		t.Fatalf("empty: %q %q %v", v, o, err)
	}
	if err := s.Set(SecretAPIKey, "ab\ncd"); err == nil {
		t.Fatal("newline inside must be refused")
	}
	if err := s.Set(SecretAPIKey, "  abc  "); err != nil {
		t.Fatal(err)
	}
	if v, o, _ := s.Get(SecretAPIKey); v != "abc" || o != OriginKeyring {
		t.Fatalf("got %q from %q", v, o)
	}
	env[EnvAPIKey] = "fromenv"
	if v, o, _ := s.Get(SecretAPIKey); v != "fromenv" || o != OriginEnv {
		t.Fatalf("env must win: %q %q", v, o)
	}
	if err := s.Delete(SecretAPIKey); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(SecretAPIKey); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	delete(env, EnvAPIKey)
	if v, _, _ := s.Get(SecretAPIKey); v != "" {
		t.Fatalf("after delete: %q", v)
	}
}

func TestSecretsNoKeyringMessage(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	defer keyring.MockInit()
	s := &Secrets{Keyring: mockBus, Getenv: func(string) string { return "" }}
	_, _, err := s.Get(SecretAPIKey)
	var nk *NoKeyringError
	if !errors.As(err, &nk) {
		t.Fatalf("want NoKeyringError, got %v", err)
	}
	for _, want := range []string{EnvAPIKey, "never writes secrets to a file", "not available"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if err := s.Set(SecretAPIKey, "x"); !errors.As(err, &nk) {
		t.Fatalf("Set: %v", err)
	}
}

// TestRealSecretService uses the session's real keyring. It skips when none
// is reachable, unless FSDECK_TEST_KEYRING=1 says one must be (.ci/run
// starts one with dbus-run-session and an unlocked gnome-keyring-daemon).
func TestRealSecretService(t *testing.T) {
	s := NewSecretsEnv(os.Getenv)
	s.Getenv = func(string) string { return "" }
	const name = "fsdeck-test-secret"
	if err := s.Set(name, "s3cr3t-value"); err != nil {
		if os.Getenv("FSDECK_TEST_KEYRING") == "1" {
			t.Fatalf("FSDECK_TEST_KEYRING=1 but the Secret Service is not usable: %v", err)
		}
		t.Skipf("no OS keyring reachable, real keyring test skipped (CI runs it under dbus-run-session with gnome-keyring-daemon): %v", err)
	}
	defer s.Delete(name)
	v, o, err := s.Get(name)
	if err != nil || v != "s3cr3t-value" || o != OriginKeyring {
		t.Fatalf("got %q %q %v", v, o, err)
	}
	if err := s.Delete(name); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := s.Get(name); v != "" {
		t.Fatalf("still there after delete: %q", v)
	}
}

// A hosting target's key has its own keyring name and variable, and the
// environment wins as for Filestack's.
func TestTargetSecrets(t *testing.T) {
	env := map[string]string{}
	s := &Secrets{Keyring: memKeyring{}, Getenv: func(k string) string { return env[k] }}
	if TargetSecret("gyazo") != "gyazo-key" || TargetEnv("gyazo") != "FSDECK_GYAZO_KEY" {
		t.Fatalf("names: %q %q", TargetSecret("gyazo"), TargetEnv("gyazo"))
	}
	if err := s.Set(TargetSecret("gyazo"), "tok"); err != nil {
		t.Fatal(err)
	}
	if v, o, _ := s.Get(TargetSecret("gyazo")); v != "tok" || o != OriginKeyring {
		t.Fatalf("keyring: %q %q", v, o)
	}
	if v, _, _ := s.Get(SecretAPIKey); v != "" {
		t.Fatalf("Filestack's key is apart: %q", v)
	}
	if envFor(TargetUser("pastebin")) != "FSDECK_PASTEBIN_USER" || envFor(TargetPassword("pastebin")) != "FSDECK_PASTEBIN_PASSWORD" {
		t.Fatalf("login variables: %q %q", envFor(TargetUser("pastebin")), envFor(TargetPassword("pastebin")))
	}
	env["FSDECK_GYAZO_KEY"] = "envtok"
	if v, o, _ := s.Get(TargetSecret("gyazo")); v != "envtok" || o != OriginEnv {
		t.Fatalf("env: %q %q", v, o)
	}
}

// memKeyring is a keyring in a map (go-keyring's mock goes through
// OSKeyring, which first looks for a session bus).
type memKeyring map[string]string

func (m memKeyring) Get(service, user string) (string, error) {
	v, ok := m[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (m memKeyring) Set(service, user, password string) error {
	m[service+"\x00"+user] = password
	return nil
}

func (m memKeyring) Delete(service, user string) error {
	delete(m, service+"\x00"+user)
	return nil
}

// A hosting target's secret names its own variable when the keyring is
// missing, not Filestack's; a missing bus is named as such.
func TestNoKeyringNamesTheTargetVariable(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	defer keyring.MockInit()
	s := &Secrets{Keyring: mockBus, Getenv: func(string) string { return "" }}
	_, _, err := s.Get(TargetSecret("gyazo"))
	if err == nil || !strings.Contains(err.Error(), "FSDECK_GYAZO_KEY") || strings.Contains(err.Error(), EnvAPIKey) {
		t.Fatalf("gyazo: %v", err)
	}
	_, _, err = s.Get(SecretAPIKey)
	if err == nil || !strings.Contains(err.Error(), EnvAPIKey) {
		t.Fatalf("filestack: %v", err)
	}
	if nk := (&NoKeyringError{Err: errNoSessionBus}); nk.Short() != "no D-Bus session bus" {
		t.Fatalf("short: %q", nk.Short())
	}
}
