package emulator

import (
	"strings"
	"testing"
)

func TestMalformedForms(t *testing.T) {
	e := newTEnv(t, Options{})
	cases := []struct{ ct, body, msg string }{
		{"multipart/form-data; boundary=XX", "--XX\r\nbroken", "malformed request body"},
		{"multipart/form-data", "whatever", "malformed request body"},
		{"application/x-www-form-urlencoded", "size=%zz&apikey=" + key, "malformed request body"},
		{"application/x-www-form-urlencoded", "apikey=" + key + "&filename=f&size=ten", "`size` must be an integer"},
		{"application/x-www-form-urlencoded", "apikey=" + key + "&filename=f&size=5&part=x", "`part` must be an integer"},
		{"application/x-www-form-urlencoded", "apikey=" + key + "&parts=1:a%3Btwo:b", "`parts` must look like"},
	}
	for _, c := range cases {
		r := e.do("POST", "/multipart/start", strings.NewReader(c.body), "Content-Type", c.ct)
		if r.status != 400 || !strings.Contains(string(r.body), c.msg) {
			t.Errorf("%s %q: %d %s, want 400 %q", c.ct, c.body, r.status, r.body, c.msg)
		}
	}
	r := e.do("POST", "/api/store/S3?key="+key, strings.NewReader("url=%zz"), "Content-Type", "application/x-www-form-urlencoded")
	if r.status != 400 || !strings.Contains(string(r.body), "malformed form body") {
		t.Errorf("store form: %d %s", r.status, r.body)
	}
}
