package cli

import (
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/localca"
)

// filestackHostnames are the hosts Filestack's SDKs call (File API,
// Upload API, CDN, legacy processing), or, with a custom domain, the ones
// they build from it (cdn., upload., www., process.).
func filestackHostnames(cname string) []string {
	cname = strings.Trim(strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(cname, "https://"), "http://")), "/.")
	if cname != "" {
		return []string{"www." + cname, "upload." + cname, "cdn." + cname, "process." + cname}
	}
	return []string{"www.filestackapi.com", "upload.filestackapi.com", "cdn.filestackcontent.com", "process.filestackapi.com"}
}

// servedHostnames is every hostname serve answers as its service:
// Filestack's (or the custom domain's), then each hosting service's.
func servedHostnames(cname string) []string {
	return append(filestackHostnames(cname), builtin.Hostnames()...)
}

// hostsIP is the address /etc/hosts should send the names to: the
// listen address when it is one, else loopback.
func hostsIP(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err == nil && ip != nil && !ip.IsUnspecified() {
		return ip.String()
	}
	return "127.0.0.1"
}

// writeHostsLines prints the /etc/hosts lines for every served hostname,
// one line per service, to w (so they can go straight to tee -a
// /etc/hosts), and to hints what a client needs beside them: the port
// the unchanged clients call (443 for HTTPS) and --tls.
func writeHostsLines(w, hints io.Writer, addr, cname string, tls bool) {
	ip := hostsIP(addr)
	fmt.Fprintf(w, "# fsdeck serve: the services' own hostnames, answered by the server on %s\n", addr)
	fmt.Fprintf(w, "# (append to /etc/hosts; remove these lines to reach the real services again)\n")
	fmt.Fprintf(w, "%s\t%s\t# filestack\n", ip, strings.Join(filestackHostnames(cname), " "))
	r := builtin.Registry()
	for _, name := range r.Mounted() {
		in, _ := r.Info(name)
		var names []string
		for _, h := range in.Hosts {
			names = append(names, h.Host)
		}
		if len(names) > 0 {
			fmt.Fprintf(w, "%s\t%s\t# %s\n", ip, strings.Join(names, " "), name)
		}
	}
	want := "80"
	if tls {
		want = "443"
	}
	if _, port, err := net.SplitHostPort(addr); err == nil && port != want {
		fmt.Fprintf(hints, "fsdeck serve: clients call these hosts on port %s: serve with --addr %s to answer them there\n", want, net.JoinHostPort(ip, want))
	}
	if !tls {
		fmt.Fprintf(hints, "fsdeck serve: the services' clients call HTTPS: serve with --tls, and trust the CA it prints\n")
	}
}

// tlsBanner are serve's lines about its local CA: where it is, what it
// vouches for, and how each kind of client trusts it.
func tlsBanner(f localca.Files) string {
	fresh := ""
	if f.Created {
		fresh = "; new: trust it before the first request"
	}
	return fmt.Sprintf("  CA        %s (local CA, name-constrained to the hostnames of fsdeck serve --hosts, localhost and loopback%s)\n", f.CACert, fresh) +
		fmt.Sprintf("  trust it  curl --cacert %s …  (or CURL_CA_BUNDLE=%[1]s)\n", f.CACert) +
		fmt.Sprintf("            Go: SSL_CERT_FILE=%s  (that process then trusts this CA only)\n", f.CACert) +
		fmt.Sprintf("            Node: NODE_EXTRA_CA_CERTS=%s\n", f.CACert) +
		fmt.Sprintf("            Python requests: REQUESTS_CA_BUNDLE=%s  (instead of its own bundle)\n", f.CACert)
}
