package session

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// ChosenAddr is the local-mode server's address from --addr or else
// FSDECK_LOCAL_ADDR ("" leaves it to config.toml), checked so a mistake is
// reported as such and not as a busy port.
func ChosenAddr(getenv func(string) string, flagAddr string) (string, error) {
	if flagAddr != "" {
		if err := store.CheckAddr(flagAddr); err != nil {
			return "", usageError("--addr %q: %v", flagAddr, err)
		}
		return flagAddr, nil
	}
	env := getenv("FSDECK_LOCAL_ADDR")
	if env != "" {
		if err := store.CheckAddr(env); err != nil {
			return "", usageError("FSDECK_LOCAL_ADDR %q: %v", env, err)
		}
	}
	return env, nil
}

// AllowPrivateURLs reads FSDECK_ALLOW_PRIVATE_URLS, which local mode (that
// has no flags of its own) and serve share.
func AllowPrivateURLs(getenv func(string) string) bool {
	v, err := strconv.ParseBool(getenv("FSDECK_ALLOW_PRIVATE_URLS"))
	return err == nil && v
}

// Connection is the client and where its ledger entries belong.
type Connection struct {
	Client *filestack.Client
	Scope  store.Scope
	// Local: the client talks to the built-in server (local mode).
	Local    bool
	Endpoint string
	Notice   string
	Keyring  bool // the OS keyring answered
	// KeyringProblem says briefly why it did not.
	KeyringProblem string
	close          func()
	// Server is the local server (nil while the session is on Filestack
	// itself and no hosting emulator was needed).
	Server *LocalServer
}

// Close closes the client and stops local mode's server.
func (c *Connection) Close() { c.close() }

// ClientConfig carries config.toml's transfer settings to the client.
// partSize (bytes), when not 0, overrides the configured part size.
func ClientConfig(cfg store.Config, apiKey, secret string, partSize int64) filestack.Config {
	if partSize == 0 {
		partSize = int64(cfg.PartSizeMiB) << 20
	}
	return filestack.Config{APIKey: apiKey, AppSecret: secret, CNAME: cfg.CNAME,
		PartSize: partSize, PartConcurrency: cfg.Parts, Describe: text.Describe}
}

// Cloud is a client for Filestack itself (or the server $FSDECK_ENDPOINT
// names) and where its files belong.
type Cloud struct {
	Client   *filestack.Client
	Scope    store.Scope
	Endpoint string
}

// CloudConnection is a client for Filestack itself (or the server
// $FSDECK_ENDPOINT names).
func CloudConnection(getenv func(string) string, cfg store.Config, apiKey, secret string, partSize int64) (Cloud, error) {
	return cloudConnection(getenv, cfg, apiKey, secret, Options{PartSize: partSize})
}

// cloudConnection is CloudConnection with the command's request log and
// retries.
func cloudConnection(getenv func(string) string, cfg store.Config, apiKey, secret string, o Options) (Cloud, error) {
	fc := ClientConfig(cfg, apiKey, secret, o.PartSize)
	o.client(&fc)
	if err := EndpointBases(getenv, &fc); err != nil {
		return Cloud{}, err
	}
	c, err := filestack.New(fc)
	if err != nil {
		return Cloud{}, err
	}
	fp := store.Fingerprint(apiKey)
	return Cloud{Client: c, Scope: store.Scope{Endpoint: c.Config().APIBase, KeyFP: fp},
		Endpoint: "Filestack (key " + fp[:8] + ")"}, nil
}

// Connect picks Filestack (a key in the environment or keyring) or local
// mode. A keyring that cannot be read is reported, never worked around by
// writing the key elsewhere.
func Connect(getenv func(string) string, paths store.Paths, cfg store.Config, o Options) (*Connection, error) {
	secrets := store.NewSecretsEnv(getenv)
	key, _, kerr := secrets.Get(store.SecretAPIKey)
	notice := ""
	var nk *store.NoKeyringError
	problem := ""
	if errors.As(kerr, &nk) {
		problem = nk.Short()
		notice = "OS keyring unavailable (" + problem + "): local mode. Set " + store.EnvAPIKey + " to use Filestack; `fsdeck key status` explains."
	}
	if key != "" && !o.Local {
		secret, _, _ := secrets.Get(store.SecretAppSecret)
		o.wire.secret(key, secret)
		cc, err := cloudConnection(getenv, cfg, key, secret, o)
		if err != nil {
			return nil, err
		}
		return &Connection{Client: cc.Client, Scope: cc.Scope, Endpoint: cc.Endpoint, Notice: notice,
			Keyring: kerr == nil, KeyringProblem: problem, close: cc.Client.Close}, nil
	}
	ls, err := StartLocal(paths.EmulatorDir(), o.Addr, o.BusyFallback, AllowPrivateURLs(getenv))
	if err != nil {
		return nil, fmt.Errorf("starting the local server: %w", err)
	}
	o.wire.secret(ls.creds.APIKey, ls.creds.AppSecret)
	lc := ClientConfig(cfg, ls.creds.APIKey, ls.creds.AppSecret, o.PartSize)
	o.client(&lc)
	lc.CNAME, lc.APIBase, lc.UploadBase, lc.CDNBase = "", ls.base+"/api", ls.base, ls.base
	c, err := filestack.New(lc)
	if err != nil {
		ls.stop()
		return nil, err
	}
	if ls.note != "" {
		notice = ls.note
	}
	return &Connection{Client: c, Scope: store.Scope{Endpoint: store.LocalEndpoint, KeyFP: store.Fingerprint(ls.creds.APIKey)},
		Local: true, Endpoint: ls.base, Notice: notice, Keyring: kerr == nil, KeyringProblem: problem,
		close: func() { c.Close(); ls.stop() }, Server: ls}, nil
}

// client applies the command's request log and retries to a client's
// config.
func (o Options) client(fc *filestack.Config) {
	if o.wire != nil {
		fc.WrapTransport = o.wire.wrap
	}
	if o.Attempts > 0 {
		fc.Retry.Attempts = o.Attempts
	}
}
