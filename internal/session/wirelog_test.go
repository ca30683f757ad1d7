package session

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The request log redacts every form a credential takes on the wire: a
// known key in a path (a processing URL), Filestack's security= segment,
// user:password in an external URL inside the path, query parameters
// named like a credential, and the Authorization, Cookie, Set-Cookie and
// key or token headers; the rest of the request stays readable.
func TestWireLogRedacts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "accountToken", Value: "cookieSecretValue1"})
		w.Header().Set("X-Request-Id", "visible-id")
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	var log bytes.Buffer
	l := newWireLog(&log, true)
	const key = "AkeyOfTwentyTwoChars00"
	l.secret(key, "theAppSecret000")
	c := &http.Client{Transport: l.wrap(nil)}
	u := srv.URL + "/" + key + "/security=p:policyValue1,s:signatureValue1/resize=width:3/" +
		"https://user:passwordValue1@files.example.invalid/a.png?api_dev_key=devKeyValue1&access_token=tokenValue1&signature=sigValue1&width=30"
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer bearerValue1")
	req.Header.Set("Cookie", "accountToken=cookieValue1")
	req.Header.Set("X-Api-Key", "headerKeyValue1")
	req.Header.Set("Accept", "image/png")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	got := log.String()
	for _, secret := range []string{key, "policyValue1", "signatureValue1", "passwordValue1", "devKeyValue1", "tokenValue1", "sigValue1",
		"bearerValue1", "cookieValue1", "headerKeyValue1", "cookieSecretValue1"} {
		if strings.Contains(got, secret) {
			t.Errorf("%s is in the log:\n%s", secret, got)
		}
	}
	for _, want := range []string{"fsdeck: http: GET http://127.0.0.1:", "/REDACTED/security=REDACTED/resize=width:3/https://REDACTED@files.example.invalid/a.png?",
		"width=30", ": 418 I'm a teapot in ", "> Authorization: REDACTED", "> Accept: image/png", "< Set-Cookie: REDACTED", "< X-Request-Id: visible-id"} {
		if !strings.Contains(got, want) {
			t.Errorf("the log lacks %q:\n%s", want, got)
		}
	}
}
