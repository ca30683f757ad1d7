package filestack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	fsc "github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/filestack"
)

const (
	testKey    = "TESTKEYaaaaaaaaaaaaaaa"
	testSecret = "TESTSECRETbbbbbbbbbbbbbbbbbbbbbb"
)

// client is a client of a fresh emulator, closed with the test.
func client(t *testing.T, key string) *fsc.Client {
	t.Helper()
	emu, err := emulator.New(emulator.Options{DataDir: t.TempDir(), APIKeys: []string{testKey}, AppSecret: testSecret,
		MinPartSize: fsc.MinPartSize})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	c, err := fsc.New(fsc.Config{APIKey: key, AppSecret: testSecret, APIBase: srv.URL + "/api", UploadBase: srv.URL,
		CDNBase: srv.URL, PartSize: fsc.MinPartSize, SimpleMax: 1 << 20,
		Retry: fsc.RetryPolicy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		srv.Close()
		emu.Close()
	})
	return c
}

func writeFile(t *testing.T, n int) (string, []byte) {
	t.Helper()
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{byte(n)}).Read(b)
	p := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, b
}

// A part upload reports the contract's events and hands on sessions the
// engine journals as filestack.Session JSON (what fsdeck has always
// journaled, so older journals still resume); ReadSession reads them back
// with the parts done.
func TestPartUploadJournalsSessions(t *testing.T) {
	c := client(t, testKey)
	tg := filestack.New(c, filestack.Options{Store: fsc.StoreOptions{Location: "s3", Path: "ignored/"}})
	p, data := writeFile(t, 2*fsc.MinPartSize+100)
	var mu sync.Mutex
	var sessions []hosts.Session
	var done int64
	var started hosts.PartEvent
	res, err := tg.UploadParts(context.Background(), p, hosts.PartOptions{StorePath: "dir/f.bin", Concurrency: 1,
		Progress: func(ev hosts.PartEvent) {
			mu.Lock()
			defer mu.Unlock()
			switch ev.Kind {
			case hosts.UploadStarted:
				started = ev
			case hosts.PartDone:
				done += ev.Size
			}
		},
		OnSession: func(s hosts.Session) {
			mu.Lock()
			sessions = append(sessions, s)
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ID == "" || res.Target != filestack.Name || res.URL != c.CDNURL(res.ID) || res.Size != int64(len(data)) {
		t.Fatalf("result %+v", res)
	}
	if started.Parts != 3 || started.Total != int64(len(data)) || done != int64(len(data)) {
		t.Fatalf("started %+v, parts done %d bytes of %d", started, done, len(data))
	}
	last := sessions[len(sessions)-1]
	var fs fsc.Session
	if err := json.Unmarshal([]byte(last.Journal), &fs); err != nil || fs.UploadID == "" || fs.Store.Path != "dir/f.bin" {
		t.Fatalf("journaled %q: %v", last.Journal, err)
	}
	got, err := tg.ReadSession(last.Journal)
	if err != nil || got.StorePath != "dir/f.bin" || got.Parts != 3 || got.PartSize != fsc.MinPartSize || len(got.Done) != len(fs.Parts) {
		t.Fatalf("ReadSession = %+v, %v", got, err)
	}
	if _, err := tg.ReadSession("{not json"); err == nil {
		t.Fatal("a damaged journal entry read")
	}
	var buf bytes.Buffer
	if _, err := tg.DownloadRange(context.Background(), res.ID, &buf, hosts.RangeOptions{}); err != nil || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("downloaded %d bytes, %v", buf.Len(), err)
	}
}

// The target's errors match the contract's sentinels and keep the
// client's text and predicates; its own wording says what to do about a
// rejected key.
func TestErrorsKeepTheClientsMeaning(t *testing.T) {
	wrong := client(t, "WRONGKEYxxxxxxxxxxxxxx")
	tg := filestack.New(wrong, filestack.Options{})
	p, _ := writeFile(t, 10)
	_, err := tg.UploadParts(context.Background(), p, hosts.PartOptions{})
	var fe *fsc.Error
	if !errors.As(err, &fe) {
		t.Fatalf("%v is no *filestack.Error", err)
	}
	if !errors.Is(err, hosts.ErrAuth) || !fsc.IsUnauthorized(err) || err.Error() != fe.Error() || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong key: %v", err)
	}
	if d := tg.Describe(err); d != fe.Error()+" — the API key was rejected; check it with `fsdeck key status`" {
		t.Fatalf("Describe = %q", d)
	}
	if d := hosts.DescribeFor(tg, io.ErrUnexpectedEOF); d != io.ErrUnexpectedEOF.Error() {
		t.Fatalf("DescribeFor(a plain error) = %q", d)
	}
	good := filestack.New(client(t, testKey), filestack.Options{})
	for _, id := range []string{"AAAAAAAAAAAAAAAAAAA1", "not a handle"} {
		if _, err := good.Stat(context.Background(), id); !errors.Is(err, hosts.ErrNotFound) {
			t.Errorf("Stat(%q): %v, want ErrNotFound", id, err)
		}
		if err := good.Delete(context.Background(), id); !errors.Is(err, hosts.ErrNotFound) {
			t.Errorf("Delete(%q): %v, want ErrNotFound", id, err)
		}
	}
}

// Upload takes a body that cannot be read at offsets through a temporary
// file it removes, named as the file says.
func TestUploadFromAStream(t *testing.T) {
	tg := filestack.New(client(t, testKey), filestack.Options{})
	data := bytes.Repeat([]byte("stream "), 300000) // past the client's simple store
	var last int64
	res, err := tg.Upload(context.Background(), hosts.File{Name: "s.txt", Size: -1, Body: io.MultiReader(bytes.NewReader(data))},
		hosts.UploadOptions{}, func(sent, _ int64) { last = sent })
	if err != nil || res.Name != "s.txt" || res.Size != int64(len(data)) || last != int64(len(data)) {
		t.Fatalf("%+v, %v, progress ended at %d", res, err, last)
	}
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), ".fsdeck-upload-*"))
	for _, l := range left {
		if info, err := os.Stat(l); err == nil && time.Since(info.ModTime()) < time.Minute {
			t.Errorf("temporary file left: %s", l)
		}
	}
}

// Capabilities say how large an upload must be to resume: past the
// client's simple store, or any with intelligent ingestion.
func TestCapabilitiesSayWhatResumes(t *testing.T) {
	c := client(t, testKey)
	if got := filestack.New(c, filestack.Options{}).Capabilities(); !got.Resume || got.ResumeAbove != 1<<20 || !got.DerivedURL {
		t.Errorf("capabilities %+v", got)
	}
	if got := filestack.New(c, filestack.Options{Intelligent: true}).Capabilities().ResumeAbove; got != 0 {
		t.Errorf("intelligent: resumes above %d", got)
	}
	if got := filestack.Info(); !got.Root || got.Name != filestack.Name || !strings.Contains(got.KeyHelp, "dev.filestack.com") {
		t.Errorf("Info %+v", got)
	}
}
