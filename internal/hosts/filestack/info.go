package filestack

import (
	"net/http"
	"strings"

	fsc "github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// Info registers Filestack: the root target, whose emulator is the
// Filestack-compatible server the others mount beside.
func Info() hosts.Info {
	return hosts.Info{Name: Name, Title: "Filestack", Root: true, DefaultURL: fsc.DefaultAPIBase,
		KeyHelp: "the API key of your Filestack app (https://dev.filestack.com)", New: newTarget, Emulator: emulate}
}

// newTarget builds a client from a registry Config: the real service at
// DefaultURL, else one server playing every role (the emulator's layout:
// the File API under /api, uploads and the CDN at the root). The key is
// the app's API key, Secret its app secret; the client's own transport
// unless cfg.HTTP brings one.
func newTarget(cfg hosts.Config) (hosts.Target, error) {
	fc := fsc.Config{APIKey: cfg.Key.Reveal(), AppSecret: cfg.Secret.Reveal(), Describe: text.Describe}
	if base := strings.TrimRight(cfg.BaseURL, "/"); base != "" && base != fsc.DefaultAPIBase {
		fc.APIBase, fc.UploadBase, fc.CDNBase = base+"/api", base, base
	}
	if cfg.HTTP != nil && cfg.HTTP.Transport != nil {
		fc.Transport = cfg.HTTP.Transport
	}
	if cfg.Key == "" {
		return nil, &hosts.Error{Target: Name, Kind: hosts.KindAuth, Msg: "an API key is required"}
	}
	c, err := fsc.New(fc)
	if err != nil {
		return nil, err
	}
	return New(c, Options{}), nil
}

// emulate is the Filestack emulator on setup's keys, secret and data
// directory (the other settings are the hosting emulators'); KeyRequired
// is its security for every request. A server that cannot start answers
// every request 503 with the reason, which setup.Log also receives.
func emulate(setup hosts.EmulatorSetup) http.Handler {
	srv, err := emulator.New(emulator.Options{DataDir: setup.Dir, APIKeys: setup.Keys, AppSecret: setup.Secret,
		SecurityRequired: setup.KeyRequired, Fsync: setup.Fsync})
	if err != nil {
		if setup.Log != nil {
			setup.Log.Error("the Filestack emulator cannot start", "err", err)
		}
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "the Filestack emulator cannot start: "+err.Error(), http.StatusServiceUnavailable)
		})
	}
	return srv
}
