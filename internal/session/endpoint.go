package session

import (
	"net/url"
	"strings"

	"github.com/fsdeck/fsdeck/filestack"
)

// EnvEndpoint names a Filestack-compatible server to use with the API key
// instead of Filestack's hosts: one base URL serving the file API under
// /api, the upload API and the CDN, as `fsdeck serve` does (for a shared
// team server, or scripts tested against one).
const EnvEndpoint = "FSDECK_ENDPOINT"

// EndpointBases points cfg at $FSDECK_ENDPOINT when it is set; a value
// that is not an http(s) URL with a host is a usage error.
func EndpointBases(getenv func(string) string, cfg *filestack.Config) error {
	raw := strings.TrimSpace(getenv(EnvEndpoint))
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return usageError("%s %q: give a base URL such as http://127.0.0.1:8899", EnvEndpoint, raw)
	}
	base := strings.TrimRight(u.String(), "/")
	cfg.CNAME, cfg.APIBase, cfg.UploadBase, cfg.CDNBase = "", base+"/api", base, base
	return nil
}
