package hosts

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// LocalClient puts the key on requests to the target's mount only, in
// the form FetchAuth gives, and never over a key the request carries.
func TestLocalClientKeysOnlyItsMount(t *testing.T) {
	type seen struct{ path, key, auth string }
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, seen{r.URL.Path, r.URL.Query().Get("key"), r.Header.Get("Authorization")})
	}))
	defer srv.Close()
	query := Info{Name: "svc", FetchAuth: QueryKey("key")}.LocalClient(srv.URL, "K")
	bearer := Info{Name: "svc", FetchAuth: BearerKey}.LocalClient(srv.URL+"/", "K")
	none := Info{Name: "svc"}.LocalClient(srv.URL, "K")
	for _, c := range []struct {
		client *http.Client
		url    string
		want   seen
	}{
		{query, srv.URL + "/svc/i/1/a.png", seen{"/svc/i/1/a.png", "K", ""}},
		{query, srv.URL + "/svc/1/upload?key=mine", seen{"/svc/1/upload", "mine", ""}},
		{query, srv.URL + "/svcother/x", seen{"/svcother/x", "", ""}},
		{query, srv.URL + "/other/svc/x", seen{"/other/svc/x", "", ""}},
		{bearer, srv.URL + "/svc/i/1", seen{"/svc/i/1", "", "Bearer K"}},
		{none, srv.URL + "/svc/i/1", seen{"/svc/i/1", "", ""}},
	} {
		got = nil
		res, err := c.client.Get(c.url)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: server saw %+v, want %+v", c.url, got, c.want)
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/svc/x", nil)
	req.Header.Set("Authorization", "Bearer theirs")
	got = nil
	if res, err := bearer.Do(req); err == nil {
		res.Body.Close()
	}
	if len(got) != 1 || got[0].auth != "Bearer theirs" || req.Header.Get("Authorization") != "Bearer theirs" {
		t.Errorf("an Authorization the request had: server saw %+v", got)
	}
}
