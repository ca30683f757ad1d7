// Package localca keeps fsdeck serve's local certificate authority: one
// CA made once in the data directory, name-constrained (X.509 Name
// Constraints, critical) to the hostnames the server answers and to
// localhost and loopback addresses, so trusting it can vouch for no other
// site; and a server certificate it signs for those names, made again
// when the names change or it nears expiry. Keys are readable by the
// owner only. Only the standard library's crypto/x509 is used.
//
// It imports nothing of fsdeck.
package localca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Files are where the authority and the server certificate are kept.
type Files struct {
	Dir    string // dataDir/tls-ca, owner-only
	CACert string // what clients trust
	CAKey  string
	Cert   string
	Key    string
	// Created is true when this call made a new CA (the first run, or
	// the served names changed): clients must trust the new one.
	Created bool
}

// Layout names the files of the authority kept under dataDir.
func Layout(dataDir string) Files {
	d := filepath.Join(dataDir, "tls-ca")
	return Files{Dir: d, CACert: filepath.Join(d, "ca.pem"), CAKey: filepath.Join(d, "ca-key.pem"),
		Cert: filepath.Join(d, "server.pem"), Key: filepath.Join(d, "server-key.pem")}
}

// Loopback are the address ranges the CA may vouch for beside names.
var Loopback = []*net.IPNet{
	{IP: net.IPv4(127, 0, 0, 0).To4(), Mask: net.CIDRMask(8, 32)},
	{IP: net.IPv6loopback, Mask: net.CIDRMask(128, 128)},
}

// Ensure loads the CA and server certificate under dataDir, making the
// CA the first time (or again when names are not exactly the names it is
// constrained to) and the server certificate whenever it does not cover
// names or has under 30 days left. names are DNS names; localhost is
// always added. It returns the server's TLS configuration.
func Ensure(dataDir string, names []string, now time.Time) (*tls.Config, Files, error) {
	f := Layout(dataDir)
	names = Normalize(names)
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return nil, f, err
	}
	if err := os.Chmod(f.Dir, 0o700); err != nil {
		return nil, f, err
	}
	ca, caKey, err := loadPair(f.CACert, f.CAKey)
	if err != nil || !constrainedTo(ca, names) || now.Add(30*24*time.Hour).After(ca.NotAfter) {
		if ca, caKey, err = makeCA(f, names, now); err != nil {
			return nil, f, err
		}
		f.Created = true
	}
	leaf, _, err := loadPair(f.Cert, f.Key)
	if f.Created || err != nil || !covers(leaf, ca, names, now) {
		if err := makeLeaf(f, ca, caKey, names, now); err != nil {
			return nil, f, err
		}
	}
	pair, err := tls.LoadX509KeyPair(f.Cert, f.Key)
	if err != nil {
		return nil, f, fmt.Errorf("loading the server certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, f, nil
}

// Normalize lower-cases names, drops trailing dots, empties and
// duplicates, adds localhost and sorts them.
func Normalize(names []string) []string {
	out := []string{"localhost"}
	for _, n := range names {
		n = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(n)), ".")
		if n != "" && net.ParseIP(n) == nil {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// excluded are the subdomain constraints (".name") for every name with
// no other served name below it: a DNS name constraint permits the name
// and everything under it, so these keep the CA to exactly the names
// served where that can be said (gyazo.com has i.gyazo.com below it, so
// its subdomains cannot be excluded without excluding those).
func excluded(names []string) []string {
	var out []string
	for _, n := range names {
		below := false
		for _, m := range names {
			below = below || strings.HasSuffix(m, "."+n)
		}
		if !below {
			out = append(out, "."+n)
		}
	}
	return out
}

func makeCA(f Files, names []string, now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256([]byte(strings.Join(names, "\n")))
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject: pkix.Name{CommonName: "fsdeck serve local CA " + hex.EncodeToString(sum[:4]),
			Organization: []string{"fsdeck (local testing only)"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true, MaxPathLen: 0, MaxPathLenZero: true,
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         names,
		ExcludedDNSDomains:          excluded(names),
		PermittedIPRanges:           Loopback,
		// No e-mail address or URI can satisfy these, so the CA vouches
		// for none.
		PermittedEmailAddresses: []string{"invalid"},
		PermittedURIDomains:     []string{"invalid"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	if err := writePair(f.CACert, f.CAKey, der, key); err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func makeLeaf(f Files, ca *x509.Certificate, caKey *ecdsa.PrivateKey, names []string, now time.Time) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "fsdeck serve", Organization: []string{"fsdeck (local testing only)"}},
		NotBefore:    now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    names,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	return writePair(f.Cert, f.Key, der, key)
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	return n
}

// constrainedTo reports whether ca is one of ours for exactly names.
func constrainedTo(ca *x509.Certificate, names []string) bool {
	return ca.IsCA && slices.Equal(ca.PermittedDNSDomains, names) && len(ca.PermittedIPRanges) == len(Loopback)
}

// covers reports whether leaf is signed by ca, names every name and has
// 30 days left.
func covers(leaf, ca *x509.Certificate, names []string, now time.Time) bool {
	if leaf.CheckSignatureFrom(ca) != nil || now.Add(30*24*time.Hour).After(leaf.NotAfter) {
		return false
	}
	return slices.Equal(Normalize(leaf.DNSNames), names)
}

func loadPair(certPath, keyPath string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	cb, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	kb, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	cblock, _ := pem.Decode(cb)
	kblock, _ := pem.Decode(kb)
	if cblock == nil || kblock == nil {
		return nil, nil, errors.New("not PEM")
	}
	cert, err := x509.ParseCertificate(cblock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParseECPrivateKey(kblock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		return nil, nil, errors.New("key does not match certificate")
	}
	return cert, key, nil
}

// writePair writes the key (0600) and then the certificate (0644), each
// to a temp file renamed into place.
func writePair(certPath, keyPath string, der []byte, key *ecdsa.PrivateKey) error {
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := writeAtomic(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		return err
	}
	return writeAtomic(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func writeAtomic(path string, b []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
