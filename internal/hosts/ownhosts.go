package hosts

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// HostRoute is one of a service's own hostnames and where it lands in
// the emulator: a request to https://Host/X is the emulator's Path+X (a
// mounted emulator's Prefix+Path+X). ImgBB's {"i.ibb.co", "/i"} serves
// https://i.ibb.co/ID/name.png as {prefix}/i/ID/name.png. The same routes
// turn the emulator's paths back into the service's URLs (LinkFor), so what
// a reply hands out resolves through the same mapping.
type HostRoute struct {
	Host string
	Path string
	// Out: LinkFor uses this route for the emulator's paths under Path
	// (the first such route wins); false for a host that only receives
	// requests (an API host whose paths overlap another's).
	Out bool
}

// ownHostsKey marks a request that came in on the service's own hostname.
type ownHostsKey struct{}

// ownHosts is what a request reached through its service's own hostname
// carries: the routes, so links are built on the service's hosts.
type ownHosts struct{ routes []HostRoute }

// RouteHost finds the route for a request's Host among routes (any
// port; case and a trailing dot ignored).
func RouteHost(host string, routes []HostRoute) (HostRoute, bool) {
	h := hostOnly(host)
	for _, rt := range routes {
		if h == rt.Host {
			return rt, true
		}
	}
	return HostRoute{}, false
}

// hostOnly is a Host header's name without port, lower-cased, without a
// trailing dot.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// ViaOwnHost rewrites a request that came in on route's host into the
// emulator's own path under prefix, and marks it so LinkFor builds the
// service's URLs for its reply. The path keeps its escaping.
func ViaOwnHost(r *http.Request, prefix string, route HostRoute, routes []HostRoute) *http.Request {
	r2 := r.WithContext(context.WithValue(r.Context(), ownHostsKey{}, ownHosts{routes}))
	u := *r.URL
	raw := prefix + route.Path + u.EscapedPath()
	if p, err := url.PathUnescape(raw); err == nil {
		u.Path, u.RawPath = p, raw
	} else {
		u.Path, u.RawPath = prefix+route.Path+u.Path, ""
	}
	if u.Path == prefix+route.Path {
		u.Path += "/"
		u.RawPath = ""
	}
	r2.URL = &u
	return r2
}

// OwnHost reports whether r came in on its service's own hostname.
func OwnHost(r *http.Request) bool {
	_, ok := r.Context().Value(ownHostsKey{}).(ownHosts)
	return ok
}

// LinkFor is the absolute URL of the emulator's path p (below its prefix)
// for a reply to r: on the service's own host when r came in on one (the
// scheme and port of the request kept, so the URL resolves through the
// same hosts mapping), otherwise on the host the client called, under
// prefix.
func LinkFor(r *http.Request, prefix, p string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if oh, ok := r.Context().Value(ownHostsKey{}).(ownHosts); ok {
		port := ""
		if _, pt, err := net.SplitHostPort(r.Host); err == nil {
			port = ":" + pt
		}
		for _, rt := range oh.routes {
			if rest, ok := strings.CutPrefix(p, rt.Path); ok && rt.Out && (rt.Path == "" || rest == "" || rest[0] == '/') {
				return scheme + "://" + rt.Host + port + rest
			}
		}
	}
	return scheme + "://" + r.Host + prefix + p
}
