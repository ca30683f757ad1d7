package cli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// Environment variables serve reads its credentials from: argv is
// visible to every user of the machine (ps, /proc/PID/cmdline), the
// environment and an owner-only file are not.
const (
	envServeAPIKey = "FSDECK_SERVE_APIKEY"
	envServeSecret = "FSDECK_SERVE_SECRET"
)

// serveCred is one credential serve uses and where it came from, for the
// banner ("--secret-file /etc/fsdeck.secret").
type serveCred struct {
	value, from string
}

// serveCreds picks the API key and app secret: a flag (--apikey, --secret,
// --secret-file), else the environment, else "" (the data directory's
// own, generated once). --secret and --secret-file exclude each other.
func serveCreds(getenv func(string) string, apikeyFlag, secretFlag, secretFile string) (key, secret serveCred, err error) {
	if secretFlag != "" && secretFile != "" {
		return key, secret, usageError("--secret and --secret-file both give the app secret: use one")
	}
	key = firstCred(serveCred{apikeyFlag, "--apikey"}, serveCred{getenv(envServeAPIKey), envServeAPIKey})
	secret = firstCred(serveCred{secretFlag, "--secret"}, serveCred{getenv(envServeSecret), envServeSecret})
	if secretFile == "" {
		return key, secret, nil
	}
	fileKey, fileSecret, err := readSecretFile(secretFile)
	if err != nil {
		return key, secret, err
	}
	secret = serveCred{fileSecret, "--secret-file " + secretFile}
	if fileKey != "" && apikeyFlag == "" {
		key = serveCred{fileKey, "--secret-file " + secretFile}
	}
	return key, secret, nil
}

func firstCred(cs ...serveCred) serveCred {
	for _, c := range cs {
		if c.value != "" {
			return c
		}
	}
	return serveCred{}
}

// readSecretFile reads --secret-file: either the app secret alone (one
// line), or lines apikey=KEY and secret=SECRET (blank lines and # comments
// ignored). Like ssh with a private key, it refuses a file that other
// users may read or change: the secret would not be one.
func readSecretFile(path string) (key, secret string, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", "", fmt.Errorf("--secret-file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return "", "", fmt.Errorf("--secret-file %s: not a regular file", path)
	}
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return "", "", fmt.Errorf("--secret-file %s: permissions %04o are too open (other users can read or change it); run chmod 600 %s", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("--secret-file: %w", err)
	}
	key, secret, err = parseSecretFile(b)
	if err != nil {
		return "", "", fmt.Errorf("--secret-file %s: %v", path, err)
	}
	return key, secret, nil
}

func parseSecretFile(b []byte) (key, secret string, err error) {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	keyed := false
	for _, l := range lines {
		name, value, ok := strings.Cut(l, "=")
		switch name = strings.ToLower(strings.TrimSpace(name)); {
		case ok && name == "apikey":
			key, keyed = strings.TrimSpace(value), true
		case ok && name == "secret":
			secret, keyed = strings.TrimSpace(value), true
		}
	}
	switch {
	case keyed && secret == "":
		return "", "", fmt.Errorf("no secret=… line")
	case keyed:
		return key, secret, nil
	case len(lines) == 0:
		return "", "", fmt.Errorf("the file is empty")
	case len(lines) > 1:
		return "", "", fmt.Errorf("want the app secret alone on one line, or lines apikey=… and secret=…")
	}
	return "", lines[0], nil
}

// secretFingerprint names a secret in the banner and logs without showing
// it: enough to tell two apart, useless for signing.
func secretFingerprint(secret string) string {
	h := sha256.Sum256([]byte("fsdeck serve secret fingerprint v1\x00" + secret))
	return "SHA256:" + hex.EncodeToString(h[:6])
}
