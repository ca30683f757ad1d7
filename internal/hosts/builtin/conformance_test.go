package builtin

import (
	"html"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/conformance"
)

// Every registered target, Filestack included, keeps the shared contract
// against its own emulator (with and without the account login of a
// target that takes one).
func TestConformance(t *testing.T) {
	r := Registry()
	for _, name := range r.Targets() {
		in, _ := r.Info(name)
		for _, login := range []bool{false, true} {
			if login && in.LoginHelp == "" {
				continue
			}
			label := name
			if login {
				label += "+login"
			}
			t.Run(label, func(t *testing.T) {
				t.Parallel() // each on its own emulator; DDownload's pace dominates
				o := conformance.Options{Login: login, Interval: time.Millisecond}
				if name == "ddownload" {
					o.Interval = 0 // its emulator enforces the service's 4 requests a second
				}
				s := conformance.Emulated(t, in, o)
				s.RawURL = rawURL(name, s.HTTP)
				conformance.Run(t, s)
			})
		}
	}
}

// rawURL is where an emulator serves the bytes of a service that shows
// only a web page for a file: the download link on GoFile's folder page
// (it names the file as stored, which the client's cleaned Result.Name
// need not be), DDownload's file page itself (the emulator's choice).
func rawURL(name string, hc *http.Client) func(hosts.Result) string {
	switch name {
	case "gofile":
		return func(r hosts.Result) string {
			resp, err := hc.Get(r.URL)
			if err != nil {
				return ""
			}
			defer resp.Body.Close()
			page, _ := io.ReadAll(resp.Body)
			m := regexp.MustCompile(`href="([^"]*/download/web/` + regexp.QuoteMeta(r.ID) + `/[^"]*)"`).FindSubmatch(page)
			if m == nil {
				return ""
			}
			return html.UnescapeString(string(m[1]))
		}
	case "ddownload":
		return func(r hosts.Result) string { return r.URL }
	}
	return nil
}
