package text

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
)

// FSError words a file-system error for a file the caller names, without
// repeating its path: "no longer exists" for a file that was there before
// (gone: a listed, marked or queued file), "no such file or directory" for
// one a person or script just named, "permission denied", "already
// exists", else the system's own reason.
func FSError(err error, gone bool) string {
	switch {
	case errors.Is(err, fs.ErrExist):
		return "already exists"
	case errors.Is(err, fs.ErrNotExist):
		if gone {
			return "no longer exists"
		}
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err.Error()
	case errors.As(err, &le):
		return le.Err.Error()
	}
	return err.Error()
}

// IsFSError reports a file-system error (*fs.PathError, *os.LinkError),
// whose text repeats the operation and path ("open /x: permission
// denied"): worded by FSError, it says the reason once.
func IsFSError(err error) bool {
	var pe *fs.PathError
	var le *os.LinkError
	return errors.As(err, &pe) || errors.As(err, &le)
}

// NetError words a network failure for people, naming the host and never
// the URL (which may carry a key): "cannot resolve host api.imgbb.com: no
// such host", "connection refused by 127.0.0.1:8080", "connection lost
// (reset by …)", "TLS certificate problem with …: …", "timed out reaching
// …". It is "" for an error that is not one of these.
func NetError(err error) string {
	if err == nil || errors.Is(err, context.Canceled) {
		return ""
	}
	host := ""
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
	}
	var oe *net.OpError
	if errors.As(err, &oe) && host == "" && oe.Addr != nil {
		host = oe.Addr.String()
	}
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		name := dns.Name
		if name == "" {
			name = host
		}
		if dns.IsTimeout {
			return "timed out resolving host " + name
		}
		return "cannot resolve host " + name + ": " + dns.Err
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused by " + host
	case errors.Is(err, syscall.ECONNRESET):
		// Mid-request: the server went away (or cut the request off).
		return "connection lost (reset by " + host + ")"
	case errors.Is(err, syscall.EPIPE):
		return "connection lost (" + host + " stopped reading: broken pipe)"
	case certProblem(err) != "":
		return "TLS certificate problem with " + host + ": " + certProblem(err)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timed out reaching " + host
	case oe != nil && oe.Op == "dial":
		return "cannot connect to " + host + ": " + oe.Err.Error()
	}
	return ""
}

// Describe words any error of a transfer for people: a network failure as
// NetError does (a refused connection as "cannot connect: …"), a lost
// connection, a timeout or a cancel in plain words, a file-system error
// without its path (FSError, the file having been there), and anything
// else by its own text with the URL a net/http error quotes left out.
// Clients that must not import this package take it as a function.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	if IsFSError(err) {
		return FSError(err, true)
	}
	if p := NetError(err); p != "" {
		if strings.HasPrefix(p, "connection refused") {
			return "cannot connect: " + p
		}
		return p
	}
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.As(err, &oe) && oe.Op == "dial":
		return "cannot connect: " + oe.Err.Error()
	case errors.As(err, &ne) && ne.Timeout():
		return "network timeout"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed),
		strings.Contains(err.Error(), "server closed idle connection"):
		// The server went away during the request (net/http closes its
		// end once it reads the server's EOF, hence "use of closed
		// network connection" while the body is still being sent).
		return "connection lost before the answer was complete"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error() // the URL itself may carry the key
	}
	return err.Error()
}

func certProblem(err error) string {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	var cv *tls.CertificateVerificationError
	switch {
	case errors.As(err, &ua):
		return ua.Error()
	case errors.As(err, &he):
		return he.Error()
	case errors.As(err, &ci):
		return ci.Error()
	case errors.As(err, &cv):
		return cv.Err.Error()
	}
	return ""
}
