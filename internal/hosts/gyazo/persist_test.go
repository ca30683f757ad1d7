package gyazo

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Images, the list and its total survive a restart (a new emulator on the
// same directory), and delete still works after it.
func TestImagesSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	srv, c := setup(t, EmulatorOptions{Dir: dir})
	a, b := pngBytes(t, 1), pngBytes(t, 2)
	ra, err := up(c, a, "first", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up(c, b, "second", nil); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	srv2, c2 := setup(t, EmulatorOptions{Dir: dir})
	items, total, err := c2.List(context.Background(), 1, 10)
	if err != nil || total != 2 || len(items) != 2 || items[1].ID != ra.ID {
		t.Fatalf("list after a restart: %d of %d, %v (want newest first)", len(items), total, err)
	}
	st, err := c2.Stat(context.Background(), ra.ID)
	if err != nil || st.ID != ra.ID || st.URL != strings.Replace(ra.URL, srv.URL, srv2.URL, 1) {
		t.Fatalf("stat after a restart: %+v %v", st, err)
	}
	resp, err := http.Get(strings.Replace(ra.URL, srv.URL, srv2.URL, 1))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, a) {
		t.Fatalf("bytes after a restart: HTTP %d, %d bytes", resp.StatusCode, len(got))
	}
	if err := c2.Delete(context.Background(), ra.ID); err != nil {
		t.Fatalf("delete after a restart: %v", err)
	}
	srv2.Close()

	_, c3 := setup(t, EmulatorOptions{Dir: dir})
	if _, total, err := c3.List(context.Background(), 1, 10); err != nil || total != 1 {
		t.Fatalf("the delete did not persist: total %d, %v", total, err)
	}
}
