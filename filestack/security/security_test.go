package security

import (
	"encoding/base64"
	"testing"
)

// Three published vectors: the first from Filestack's signing-policies page
// (https://www.filestack.com/docs/security/signing-policies/), the second
// from filestack-go's security tests, the third (Python's spaced JSON) from
// filestack-python's tests/filelink_test.py.
func TestVectors(t *testing.T) {
	tests := []struct{ json, secret, policy, sig string }{
		{`{"handle":"KW9EJhYtS6y48Whm2S6D","expiry":1508141504}`, "Z3IYZSH2UJA7VN3QYFVSVCF7PI",
			"eyJoYW5kbGUiOiJLVzlFSmhZdFM2eTQ4V2htMlM2RCIsImV4cGlyeSI6MTUwODE0MTUwNH0=",
			"4098f262b9dba23e4766ce127353aaf4f37fde0fd726d164d944e031fd862c18"},
		{`{"expiry":1617228000}`, "MBVEKA6ARFGNDDTVY7IQDZ4HYU", "eyJleHBpcnkiOjE2MTcyMjgwMDB9",
			"8ff61ba46198ad2778933e578e62fdf37ca4e28193655e8cd04f775598165f90"},
		{`{"expiry": 123}`, "secret", "eyJleHBpcnkiOiAxMjN9",
			"4de8b7441b3daf0d68b4f8ebcf7e015d07aef43a1295476a1dde1aed327abc01"},
	}
	for _, tt := range tests {
		enc := base64.URLEncoding.EncodeToString([]byte(tt.json))
		if enc != tt.policy {
			t.Errorf("encoding %s = %s, want %s", tt.json, enc, tt.policy)
		}
		if got := Sign(tt.secret, tt.policy); got != tt.sig {
			t.Errorf("Sign(%s) = %s, want %s", tt.policy, got, tt.sig)
		}
		if !Verify(tt.secret, tt.policy, tt.sig) || Verify(tt.secret+"x", tt.policy, tt.sig) {
			t.Errorf("Verify wrong for %s", tt.policy)
		}
		if _, err := Decode(tt.policy); err != nil {
			t.Errorf("Decode(%s): %v", tt.policy, err)
		}
	}
}

func TestEncodeMatchesVector(t *testing.T) {
	p := Policy{Expiry: 1617228000}
	if got := p.Encode(); got != "eyJleHBpcnkiOjE2MTcyMjgwMDB9" {
		t.Fatalf("Encode = %s", got)
	}
	c := New("MBVEKA6ARFGNDDTVY7IQDZ4HYU", p)
	if c.Signature != "8ff61ba46198ad2778933e578e62fdf37ca4e28193655e8cd04f775598165f90" {
		t.Fatalf("signature %s", c.Signature)
	}
}

func TestDecodeBothAlphabetsAndPadding(t *testing.T) {
	raw := []byte(`{"expiry":4102444800,"call":["read"],"path":"a/b?"}`)
	for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		p, err := Decode(enc.EncodeToString(raw))
		if err != nil || p.Expiry != 4102444800 || p.Path != "a/b?" {
			t.Errorf("Decode with %v: %+v %v", enc, p, err)
		}
	}
	for in, want := range map[string]error{"!!!": ErrEncoding, "bm90IGpzb24": ErrMalformed, "e30": ErrNoExpiry} {
		if _, err := Decode(in); err != want {
			t.Errorf("Decode(%q) = %v, want %v", in, err, want)
		}
	}
}

func TestAllows(t *testing.T) {
	if !(Policy{}).Allows(CallRemove) || (Policy{}).Allows(CallExif) {
		t.Fatal("empty call list must allow all but exif")
	}
	p := Policy{Call: []string{"revoke", "pick"}}
	if !p.Allows(CallRemove) || !p.Allows(CallStore) || p.Allows(CallRead) {
		t.Fatal("revoke/pick aliases wrong")
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"eyJleHBpcnkiOjE2MTcyMjgwMDB9", "e30=", "", "eyJjYWxsIjpbMV19"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Decode(s)
		if err == nil && p.Expiry <= 0 {
			t.Fatalf("accepted policy without expiry: %q", s)
		}
	})
}
