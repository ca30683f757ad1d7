package gyazo

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// The client sends access_token as Gyazo's API documents it: a form
// field of the upload, a parameter of list, get and delete; never also
// as a Bearer header.
func TestTokenTravelsAsDocumented(t *testing.T) {
	emu := NewEmulator(EmulatorOptions{Prefix: "/gyazo", Tokens: []string{testToken}, Dir: t.TempDir()})
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		where := "none"
		switch {
		case r.Header.Get("Authorization") != "":
			where = "header"
		case r.URL.Query().Get("access_token") == testToken:
			where = "query"
		case bytes.Contains(body, []byte("name=\"access_token\"\r\n\r\n"+testToken+"\r\n")):
			where = "form"
		}
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+where)
		mu.Unlock()
		emu.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := New(hosts.Config{BaseURL: srv.URL + "/gyazo", Key: testToken, HTTP: srv.Client(), MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res, err := up(c, pngBytes(t, 1), "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, _, err := c.List(ctx, 1, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stat(ctx, res.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, res.ID); err != nil {
		t.Fatal(err)
	}
	want := []string{"POST /gyazo/api/upload form", "GET /gyazo/api/images query",
		"GET /gyazo/api/images/" + res.ID + " query", "DELETE /gyazo/api/images/" + res.ID + " query"}
	if len(seen) != len(want) {
		t.Fatalf("requests %q, want %q", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("request %d: %q, want %q", i, seen[i], want[i])
		}
	}
}

// created_at in the documented format ("2014-05-21 14:23:10+0900") is
// read as the upload's time; the emulator writes it that way.
func TestCreatedAtDocumentedFormat(t *testing.T) {
	r := gyImage{ImageID: "x", URL: "u", CreatedAt: "2014-05-21 14:23:10+0900"}.result()
	if want := time.Date(2014, 5, 21, 5, 23, 10, 0, time.UTC); !r.Created.Equal(want) {
		t.Fatalf("Created = %v, want %v", r.Created, want)
	}
	_, c := setup(t, EmulatorOptions{Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }})
	res, err := up(c, pngBytes(t, 2), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Stat(context.Background(), res.ID)
	if err != nil || !st.Created.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Fatalf("stat: %v %v", st.Created, err)
	}
}
