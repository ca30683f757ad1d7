// Package conformance is the targets' shared contract as a test suite,
// after rclone's fstests: Run uploads to a target's emulator and checks
// what every target promises — an upload returns an id and URLs that
// serve the same bytes, names with odd characters go through, empty and
// oversized files are refused as Capabilities say (by Check and by the
// service), Stat, Delete and List behave where implemented with their
// typed not-found errors, a wrong key is hosts.ErrAuth, and Capabilities
// agree with the optional interfaces the target implements. The powers
// only some targets have (part uploads, ranged downloads, import, signed
// URLs, transformations) are exercised where present.
//
// internal/hosts/builtin runs it against every registered target, so a
// new target is held to the contract the day it is registered. It is for
// tests only: it imports testing, internal/hosts and the standard
// library, and no production code imports it.
//
// It imports internal/hosts only: the targets are handed to Run by builtin's
// test.
package conformance

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Setup is one target against its emulator.
type Setup struct {
	// Target is configured on the emulator with a key it accepts, Wrong
	// the same with a key it refuses (nil: not checked).
	Target, Wrong hosts.Target
	// Server is the emulator's base URL; HTTP fetches the URLs the
	// target hands out.
	Server string
	HTTP   *http.Client
	// RawURL is where the emulator serves an upload's bytes when the
	// service serves them only behind a web page (GoFile, DDownload), ""
	// when it cannot tell; nil: hosts.BytesURL's, else only the main
	// URL's answer is checked. It is asked once per upload, while the
	// upload exists.
	RawURL func(hosts.Result) string
}

// Options shape the Setup Emulated builds.
type Options struct {
	// Login configures an account login (a target's LoginHelp says what
	// it adds), with the accepted key as password.
	Login bool
	// Interval spaces the client's requests (0: the target's own pace,
	// for an emulator that enforces the service's rate).
	Interval time.Duration
}

// Key is the key Emulated's emulators accept; Secret their signing secret.
const (
	Key    = "CONFORMANCEKEY00000000"
	Secret = "CONFORMANCESECRET0000000000000000"
)

// Emulated starts in's emulator on a fresh loopback server with its own
// data directory (both closed with the test) and builds the target on
// it, as local mode does: its base URL is in.LocalURL of the server.
func Emulated(t *testing.T, in hosts.Info, o Options) Setup {
	t.Helper()
	h := in.Emulator(hosts.EmulatorSetup{Prefix: in.Mount(), Keys: []string{Key}, Secret: Secret, Dir: t.TempDir(),
		Quota: hosts.NewQuota(0), Memory: hosts.NewMemory(0)})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		if c, ok := h.(interface{ Close() error }); ok {
			c.Close()
		}
	})
	build := func(key hosts.Key) hosts.Target {
		cfg := hosts.Config{BaseURL: in.LocalURL(srv.URL), Key: key, Secret: Secret, HTTP: srv.Client(), MinInterval: o.Interval}
		if o.Login && in.LoginHelp != "" {
			cfg.Login = &hosts.Login{User: "conformance", Password: key}
		}
		tg, err := in.New(cfg)
		if err != nil {
			t.Fatalf("%s: %v", in.Name, err)
		}
		if c, ok := tg.(interface{ Close() }); ok {
			t.Cleanup(c.Close)
		}
		return tg
	}
	return Setup{Target: build(Key), Wrong: build("WRONGKEY0000000000000x"), Server: srv.URL, HTTP: srv.Client()}
}

// Run checks the contract against s. The upload checks come first; what
// removes the upload (Delete) comes last.
func Run(t *testing.T, s Setup) {
	t.Helper()
	if s.HTTP == nil {
		s.HTTP = http.DefaultClient
	}
	c := &run{Setup: s, ctx: context.Background(), raw: map[string]string{}}
	t.Run("Capabilities", c.capabilities)
	var up uploaded
	if !t.Run("Upload", func(t *testing.T) { up = c.upload(t, "conformance"+ext(c.caps().Kind), c.sample(t, 3000)) }) {
		return
	}
	t.Run("OddNames", c.oddNames)
	t.Run("ZeroBytes", c.zeroBytes)
	t.Run("SizeLimit", c.sizeLimit)
	t.Run("WrongKey", c.wrongKey)
	t.Run("Stat", func(t *testing.T) { c.stat(t, up) })
	t.Run("List", func(t *testing.T) { c.list(t, up) })
	t.Run("RangeDownload", func(t *testing.T) { c.rangeDownload(t, up) })
	t.Run("Import", func(t *testing.T) { c.importRef(t, up) })
	t.Run("SignedURL", func(t *testing.T) { c.signedURL(t, up) })
	t.Run("Transform", c.transform)
	t.Run("PartUpload", c.partUpload)
	t.Run("Delete", func(t *testing.T) { c.delete(t, up) })
}

// run is one Run's state.
type run struct {
	Setup
	ctx context.Context
	raw map[string]string // RawURL's answers by id
}

// bytesURL is the URL that serves res's bytes ("" when none is known).
func (c *run) bytesURL(res hosts.Result) string {
	if u := hosts.BytesURL(c.caps(), res.URL, res.Links); u != "" || c.RawURL == nil {
		return u
	}
	if u, ok := c.raw[res.ID]; ok {
		return u
	}
	c.raw[res.ID] = c.RawURL(res)
	return c.raw[res.ID]
}

func (c *run) caps() hosts.Capabilities { return c.Target.Capabilities() }

// uploaded is an upload and the bytes it holds.
type uploaded struct {
	res  hosts.Result
	data []byte
}
