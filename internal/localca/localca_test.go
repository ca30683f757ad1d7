package localca

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"net"
	"os"
	"runtime"
	"testing"
	"time"
)

var served = []string{"api.imgbb.com", "i.ibb.co", "ibb.co", "gyazo.com", "i.gyazo.com", "pastebin.com"}

// pool trusts the CA in f alone.
func pool(t *testing.T, f Files) (*x509.CertPool, *x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	ca, key, err := loadPair(f.CACert, f.CAKey)
	if err != nil {
		t.Fatal(err)
	}
	p := x509.NewCertPool()
	p.AddCert(ca)
	return p, ca, key
}

// issue signs a server certificate for dns and ips with the CA's key, as
// someone holding the key could.
func issue(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, dns []string, ips []net.IP) *x509.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: serial(), Subject: pkix.Name{CommonName: "x"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, DNSNames: dns, IPAddresses: ips}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

// The CA is made once, its key and the server's are the owner's alone,
// and the server certificate verifies for every served name, localhost
// and the loopback addresses.
func TestEnsureMakesTheCAOnce(t *testing.T) {
	dir := t.TempDir()
	_, f, err := Ensure(dir, served, time.Now())
	if err != nil || !f.Created {
		t.Fatalf("first Ensure: created=%v err=%v", f.Created, err)
	}
	first, _ := os.ReadFile(f.CACert)
	_, f2, err := Ensure(dir, append([]string{"PASTEBIN.COM."}, served...), time.Now())
	if err != nil || f2.Created {
		t.Fatalf("second Ensure made a new CA (created=%v, err=%v)", f2.Created, err)
	}
	if again, _ := os.ReadFile(f.CACert); !bytes.Equal(first, again) {
		t.Fatal("the CA changed on the second run")
	}
	if runtime.GOOS != "windows" {
		for _, p := range []string{f.CAKey, f.Key} {
			st, err := os.Stat(p)
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("%s: mode %v, err %v; want 0600", p, st.Mode().Perm(), err)
			}
		}
		if st, _ := os.Stat(f.Dir); st.Mode().Perm() != 0o700 {
			t.Fatalf("%s: mode %v, want 0700", f.Dir, st.Mode().Perm())
		}
	}
	roots, _, _ := pool(t, f)
	leaf, _, err := loadPair(f.Cert, f.Key)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range append([]string{"localhost", "127.0.0.1", "::1"}, served...) {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: n, Roots: roots}); err != nil {
			t.Errorf("server certificate for %s: %v", n, err)
		}
	}
	// Other names change the constraints: a new CA, to be trusted anew.
	_, f3, err := Ensure(dir, []string{"pastebin.com"}, time.Now())
	if err != nil || !f3.Created {
		t.Fatalf("Ensure with other names: created=%v err=%v", f3.Created, err)
	}
}

// Even with its key, the CA vouches for nothing beyond the served names
// (and names below a served name that has other served names below it),
// localhost and loopback: no other site, no subdomain of a name served
// alone, no other address.
func TestCAIsNameConstrained(t *testing.T) {
	_, f, err := Ensure(t.TempDir(), served, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	roots, ca, caKey := pool(t, f)
	if !ca.PermittedDNSDomainsCritical || ca.MaxPathLen != 0 || !ca.MaxPathLenZero {
		t.Fatalf("constraints not critical or path length open: %+v", ca)
	}
	for _, tc := range []struct {
		dns []string
		ips []net.IP
		ok  bool
	}{
		{dns: []string{"pastebin.com"}, ok: true},
		{dns: []string{"i.ibb.co"}, ok: true},
		{ips: []net.IP{net.ParseIP("127.0.0.2")}, ok: true},
		{dns: []string{"www.google.com"}},
		{dns: []string{"evilpastebin.com"}},
		{dns: []string{"x.pastebin.com"}},
		{dns: []string{"x.i.ibb.co"}},
		{dns: []string{"pastebin.com", "bank.example"}},
		{ips: []net.IP{net.ParseIP("10.0.0.1")}},
		{ips: []net.IP{net.ParseIP("2001:db8::1")}},
	} {
		c := issue(t, ca, caKey, tc.dns, tc.ips)
		_, err := c.Verify(x509.VerifyOptions{Roots: roots})
		if (err == nil) != tc.ok {
			t.Errorf("certificate for %v %v: verify err=%v, want ok=%v", tc.dns, tc.ips, err, tc.ok)
		}
	}
	// And no sub-authority.
	subKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	subTmpl := &x509.Certificate{SerialNumber: serial(), Subject: pkix.Name{CommonName: "sub"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, subTmpl, ca, &subKey.PublicKey, caKey)
	sub, _ := x509.ParseCertificate(der)
	leaf := issue(t, sub, subKey, []string{"pastebin.com"}, nil)
	inter := x509.NewCertPool()
	inter.AddCert(sub)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter}); err == nil {
		t.Error("a sub-CA's certificate verified")
	}
	b, _ := os.ReadFile(f.CACert)
	if blk, _ := pem.Decode(b); blk == nil || blk.Type != "CERTIFICATE" {
		t.Fatal("ca.pem is not a PEM certificate")
	}
}
