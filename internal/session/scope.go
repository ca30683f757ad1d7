package session

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/store"
)

// ScopeOf is the ledger scope a session opened with target ("": the
// root one) and --local would use, found without connecting or starting
// a server (shell completion reads the ledger with it); false when it
// cannot be told (no key and no local credentials yet).
func ScopeOf(sec *store.Secrets, paths store.Paths, target string, local bool) (store.Scope, bool) {
	if DefaultTarget(builtin.Registry(), target) {
		return rootScope(sec, paths, local)
	}
	return hostScope(sec, paths, target, local)
}

// rootScope is the ledger scope Open gives the root target.
func rootScope(sec *store.Secrets, paths store.Paths, local bool) (store.Scope, bool) {
	if !local {
		if key, _, _ := sec.Get(store.SecretAPIKey); key != "" {
			cfg, _ := store.LoadConfig(paths.ConfigFile())
			c, err := filestack.New(ClientConfig(cfg, key, "", 0))
			if err != nil {
				return store.Scope{}, false
			}
			return store.Scope{Endpoint: c.Config().APIBase, KeyFP: store.Fingerprint(key)}, true
		}
	}
	b, err := os.ReadFile(filepath.Join(paths.EmulatorDir(), "credentials.json"))
	var creds LocalCreds
	if err != nil || json.Unmarshal(b, &creds) != nil || creds.APIKey == "" {
		return store.Scope{}, false
	}
	return store.Scope{Endpoint: store.LocalEndpoint, KeyFP: store.Fingerprint(creds.APIKey)}, true
}

// hostScope is the ledger scope OpenTarget gives a hosting target.
func hostScope(sec *store.Secrets, paths store.Paths, target string, local bool) (store.Scope, bool) {
	in, ok := builtin.Registry().Info(target)
	if !ok {
		return store.Scope{}, false
	}
	if !local {
		if key, _, _ := sec.Get(store.TargetSecret(target)); key != "" {
			return store.Scope{Target: target, Endpoint: in.DefaultURL, KeyFP: store.Fingerprint(key)}, true
		}
	}
	sc, ok := rootScope(sec, paths, true)
	sc.Target = target
	return sc, ok
}
