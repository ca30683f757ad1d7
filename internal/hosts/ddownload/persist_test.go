package ddownload

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Files, the list and its total survive a restart (a new emulator on the
// same directory): the bytes are served exactly and Stat still finds them.
func TestFilesSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	srv, c := setup(t, EmulatorOptions{Dir: dir, RequestsPerSecond: -1}, time.Millisecond)
	data := []byte(strings.Repeat("persisted bytes\x00\xff", 300))
	res, err := send(c, "notes.bin", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := send(c, "second.bin", []byte("two"), nil); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	srv2, c2 := setup(t, EmulatorOptions{Dir: dir, RequestsPerSecond: -1}, time.Millisecond)
	items, total, err := c2.List(context.Background(), 1, 10)
	if err != nil || total != 2 || len(items) != 2 || items[1].ID != res.ID || items[1].Name != "notes.bin" || items[1].Size != int64(len(data)) {
		t.Fatalf("list after a restart: %+v of %d, %v", items, total, err)
	}
	if st, err := c2.Stat(context.Background(), res.ID); err != nil || st.Size != int64(len(data)) {
		t.Fatalf("stat after a restart: %+v %v", st, err)
	}
	resp, err := http.Get(strings.Replace(res.URL, srv.URL, srv2.URL, 1))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, data) {
		t.Fatalf("bytes after a restart: HTTP %d, %d bytes", resp.StatusCode, len(got))
	}
	// Uploads continue the list order after a restart.
	third, err := send(c2, "third.bin", []byte("3"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if items, _, _ := c2.List(context.Background(), 1, 1); len(items) != 1 || items[0].ID != third.ID {
		t.Fatalf("newest after a restart: %+v", items)
	}
}
