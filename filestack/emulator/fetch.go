package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"syscall"
	"time"
)

// fetcher downloads external sources for store-from-URL and processing:
// http(s) only, bounded redirects, a timeout and a size cap. Unless told
// otherwise it connects only to public addresses, so a server others can
// reach is never a way into the network behind it (loopback, private
// ranges, link-local cloud metadata at 169.254.169.254).
type fetcher struct {
	client  *http.Client
	maxSize int64
}

type fetched struct {
	Body     io.ReadCloser
	filename string
	mimetype string
	length   int64 // the declared Content-Length; -1 when unknown
}

func newFetcher(timeout time.Duration, maxSize int64, allowPrivate bool) *fetcher {
	dialer := &net.Dialer{Timeout: timeout}
	if !allowPrivate {
		// Checked on the address actually dialled, after name resolution
		// and on every redirect, so neither a name that resolves to an
		// internal address nor a redirect to one gets through.
		dialer.Control = refusePrivate
	}
	return &fetcher{maxSize: maxSize, client: &http.Client{
		// No proxy from the environment: a proxy would do the dialling
		// (and so the address check) itself.
		Transport: &http.Transport{DialContext: dialer.DialContext, ForceAttemptHTTP2: true,
			TLSHandshakeTimeout: timeout, ResponseHeaderTimeout: timeout},
		Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to a %s URL is not allowed", req.URL.Scheme)
			}
			return nil
		},
	}}
}

func (f *fetcher) get(ctx context.Context, raw string) (*fetched, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errorf(http.StatusBadRequest, "only http and https URLs can be fetched")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "invalid URL")
	}
	req.Header.Set("User-Agent", "fsdeck-emulator")
	res, err := f.client.Do(req)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "fetching %s failed: %v", redactURL(raw), unwrapURLError(err))
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		res.Body.Close()
		return nil, errorf(http.StatusBadRequest, "fetching %s failed: the server answered %s", redactURL(raw), res.Status)
	}
	if res.ContentLength > f.maxSize {
		res.Body.Close()
		return nil, errorf(http.StatusBadRequest, "fetching %s failed: %d bytes exceeds the %d-byte limit", redactURL(raw), res.ContentLength, f.maxSize)
	}
	out := &fetched{Body: res.Body, mimetype: stripParams(res.Header.Get("Content-Type")), length: res.ContentLength}
	if _, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		out.filename = path.Base(params["filename"])
	} else if base := path.Base(u.Path); base != "/" && base != "." {
		out.filename = base
	}
	return out, nil
}

// errPrivateAddress is why a fetch of a non-public address was refused.
type errPrivateAddress struct{ addr netip.Addr }

func (e errPrivateAddress) Error() string {
	return fmt.Sprintf("refusing to connect to %s, a loopback, private or link-local address "+
		"(start the server with --allow-private-urls, or set FSDECK_ALLOW_PRIVATE_URLS=1 for local mode, to allow it)", e.addr)
}

// refusePrivate is a net.Dialer Control that lets only public unicast
// addresses through, on any port but the bad ports of the Fetch standard.
//
// Other ports stay open on purpose: Filestack documents no port rule for
// the URLs it fetches, and real sources live on :8080, :8443 and the
// like, so allowing only 80 and 443 would refuse URLs users paste. What
// a fetch must not become is a way to talk to another protocol's server
// (SMTP, IRC, SIP...) with a request line the caller controls: the bad
// ports are exactly those, the list browsers refuse for the same reason.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refusing to connect to %q: not an IP address", address)
	}
	if a := ap.Addr().Unmap(); !publicAddr(a) {
		return errPrivateAddress{a}
	}
	if badPort(ap.Port()) {
		return fmt.Errorf("refusing to connect to port %d, which belongs to a protocol other than HTTP "+
			"(a bad port of the Fetch standard, https://fetch.spec.whatwg.org/#port-blocking)", ap.Port())
	}
	return nil
}

// badPort reports whether port is on the Fetch standard's list of bad
// ports (https://fetch.spec.whatwg.org/#bad-port), which browsers never
// connect to.
func badPort(port uint16) bool {
	switch port {
	case 0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95,
		101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179,
		389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601,
		636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
		6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080:
		return true
	}
	return false
}

// nonPublic lists the ranges that IsGlobalUnicast and IsPrivate let
// through but no public server lives in.
func nonPublic() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),      // "this network": 0.x reaches this host on Linux
		netip.MustParsePrefix("100.64.0.0/10"),  // RFC 6598 carrier-grade NAT, private in practice
		netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
		netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking, used inside networks
		netip.MustParsePrefix("240.0.0.0/4"),    // reserved, and broadcast
		netip.MustParsePrefix("fec0::/10"),      // deprecated site-local
		netip.MustParsePrefix("64:ff9b:1::/48"), // RFC 8215 local-use NAT64
	}
}

func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if v4, ok := embeddedV4(a); ok {
		return publicAddr(v4)
	}
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range nonPublic() {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// embeddedV4 returns the IPv4 address an IPv6 one carries to, so that a
// NAT64 gateway or a 6to4 or Teredo relay cannot be asked to reach a
// private IPv4 address on the server's behalf.
func embeddedV4(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() {
		return netip.Addr{}, false
	}
	b := a.As16()
	last := [4]byte{b[12], b[13], b[14], b[15]}
	switch {
	case netip.MustParsePrefix("64:ff9b::/96").Contains(a), // NAT64 well-known prefix
		netip.MustParsePrefix("::/96").Contains(a): // deprecated IPv4-compatible
		return netip.AddrFrom4(last), true
	case b[0] == 0x20 && b[1] == 0x02: // 6to4 2002:V4ADDR::/48
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	case netip.MustParsePrefix("2001::/32").Contains(a): // Teredo: the client's address, inverted
		return netip.AddrFrom4([4]byte{^last[0], ^last[1], ^last[2], ^last[3]}), true
	}
	return netip.Addr{}, false
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redactURL drops user info and query (which may hold credentials) from
// URLs that go into messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the URL"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}
