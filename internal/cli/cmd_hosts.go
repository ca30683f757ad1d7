package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// hostError words a hosting target's failure (hosts.Describe: the limit in
// plain words, what to do); a rejected key exits with status 3.
func hostError(err error) error {
	if errors.Is(err, hosts.ErrAuth) {
		return authError("%s", hosts.Describe(err))
	}
	return errors.New(hosts.Describe(err))
}

// hostID reads an argument naming an upload of the session's hosting
// target: its id, or one of its URLs as the ledger keeps them (in local
// mode under any port the local server had: they are compared as rebuilt
// for the current one).
func hostID(ctx context.Context, s *session, arg string) (string, bool) {
	if strings.Contains(arg, "://") {
		if s.host.local {
			arg = hosts.RebaseLocal(s.host.info.Name, arg, s.localBase())
		}
		entries, _ := s.ledger.List(ctx, s.scope())
		for _, e := range entries {
			if e.URL == arg {
				return e.Handle, true
			}
			for _, l := range e.Links {
				if l.URL == arg {
					return e.Handle, true
				}
			}
		}
		return "", false
	}
	if arg == "" || len(arg) > 256 || strings.ContainsFunc(arg, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' || r == '?' || r == '#'
	}) {
		return "", false
	}
	return arg, true
}

// hostEntry is a service's result as a ledger entry (keeping what only
// the ledger knows: the local path and content hash).
func hostEntry(r hosts.Result, old store.Entry) store.Entry {
	e := old
	e.Handle, e.Gone, e.RefreshedAt = r.ID, false, time.Now()
	if r.Name != "" {
		e.Filename = r.Name
	}
	if r.Size > 0 {
		e.Size = r.Size
	}
	if !r.Created.IsZero() {
		e.Uploaded = r.Created
	}
	if r.URL != "" {
		e.URL = r.URL
	}
	if len(r.Links) > 0 {
		e.Links = r.Links
	}
	if !r.Expires.IsZero() {
		e.Expires = r.Expires
	}
	if e.Source == "" {
		e.Source = store.SourceImport
	}
	return e
}

// hostStat asks a Stater target for an upload's metadata and refreshes
// the ledger's entry.
func hostStat(ctx context.Context, s *session, id string) (result, error) {
	st, ok := s.host.host.(hosts.Stater)
	if !ok || !s.host.host.Capabilities().Stat {
		return result{}, fmt.Errorf("%s cannot show an upload's metadata (its API has no such call)", s.host.info.Title)
	}
	r, err := st.Stat(ctx, id)
	old, lerr := s.ledger.Get(ctx, s.scope(), id)
	if err != nil {
		if errors.Is(err, hosts.ErrNotFound) && lerr == nil {
			old.Gone, old.RefreshedAt = true, time.Now()
			s.ledger.Refresh(ctx, s.scope(), old)
		}
		return result{}, hostError(err)
	}
	e := hostEntry(r, old)
	if lerr == nil {
		if _, err := s.ledger.Refresh(ctx, s.scope(), e); err != nil {
			return result{}, fmt.Errorf("refreshing the ledger: %w", err)
		}
	}
	return entryResult(s, e, statusOK), nil
}

// hostRemove deletes an upload through a Deleter target (or only forgets
// it) and removes it from the ledger.
func hostRemove(ctx context.Context, s *session, id string, forgetOnly bool) (result, error) {
	e, lerr := s.ledger.Get(ctx, s.scope(), id)
	if lerr != nil {
		e = store.Entry{Handle: id}
	}
	status := statusForgot
	d, ok := s.host.host.(hosts.Deleter)
	switch ok = ok && s.host.host.Capabilities().Delete; {
	case forgetOnly && lerr != nil:
		return result{}, fmt.Errorf("%s: not in the ledger", id)
	case forgetOnly:
	case !ok && s.host.info.LoginHelp != "":
		return result{}, fmt.Errorf("%s cannot delete uploads without a login: `fsdeck key set --target %s --login` (or use --forget-only)",
			s.host.info.Name, s.host.info.Name)
	case !ok:
		msg := s.host.info.Name + " cannot delete uploads"
		if hasLink(e.Links, "delete") {
			msg += " through its API; open its delete page (`fsdeck url --to " + s.host.info.Name + " " + id + " --as delete`)"
		}
		return result{}, errors.New(msg + ", or use --forget-only")
	default:
		if err := d.Delete(ctx, id); errors.Is(err, hosts.ErrNotFound) {
			return result{}, notFoundError(ctx, s, id)
		} else if err != nil {
			return result{}, hostError(err)
		}
		status = statusDeleted
	}
	if err := s.ledger.Remove(ctx, s.scope(), id); err != nil {
		return result{}, fmt.Errorf("removing from the ledger: %w", err)
	}
	return entryResult(s, e, status), nil
}

func hasLink(ls []hosts.Link, label string) bool {
	for _, l := range ls {
		if l.Label == label {
			return true
		}
	}
	return false
}

// hostListMax bounds how many server pages ls reads (100 items each).
const hostListMax = 20

// hostServerList adds a Lister target's server list to the ledger's
// entries: uploads made elsewhere (the web site, another machine) show
// too. Ledger entries win (they know the local path).
func hostServerList(ctx context.Context, s *session, entries []store.Entry) ([]store.Entry, error) {
	l, ok := s.host.host.(hosts.Lister)
	if !ok || !s.host.host.Capabilities().List {
		return entries, nil
	}
	have := make(map[string]bool, len(entries))
	for _, e := range entries {
		have[e.Handle] = true
	}
	for page, seen := 1, 0; page <= hostListMax; page++ {
		items, total, err := l.List(ctx, page, 100)
		if err != nil {
			return entries, hostError(err)
		}
		for _, r := range items {
			if !have[r.ID] {
				have[r.ID] = true
				entries = append(entries, hostEntry(r, store.Entry{}))
			}
		}
		if seen += len(items); len(items) == 0 || seen >= total {
			break
		}
	}
	return entries, nil
}

// hostURL is an upload's URL in a form --as names: url, handle, a link
// label of the service (thumb, delete, …), or markdown/html/curl of the
// main URL.
func hostURL(ctx context.Context, s *session, id, as string) (text, name string, err error) {
	e, err := s.ledger.Get(ctx, s.scope(), id)
	if err != nil {
		return "", "", fmt.Errorf("%s: not in the %s ledger (fsdeck ls --to %s)", id, s.host.info.Name, s.host.info.Name)
	}
	name = or(e.Filename, id)
	for _, l := range e.Links {
		if l.Label == as {
			return l.URL, name, nil
		}
	}
	switch as {
	case "url", "handle", "markdown", "html", "curl":
		// Image forms only where the URL serves the image itself; a page
		// (GoFile, DDownload) would render as a broken image.
		image := strings.HasPrefix(e.Mimetype, "image/") && s.host.host.Capabilities().DirectURL
		text, err = renderURL(as, id, e.URL, name, image)
		return text, name, err
	}
	labels := []string{"url", "handle", "markdown", "html", "curl"}
	for _, l := range e.Links {
		labels = append(labels, l.Label)
	}
	return "", "", usageError("--as %q: this %s upload has %s", as, s.host.info.Title, strings.Join(labels, ", "))
}

// hostGet downloads an upload from the URL that serves its bytes (the
// main URL or a raw link), for the services that have one.
func hostGet(ctx context.Context, s *session, id string, w io.Writer) (store.Entry, int64, error) {
	e, err := s.ledger.Get(ctx, s.scope(), id)
	if err != nil {
		return e, 0, fmt.Errorf("not in the %s ledger (fsdeck ls --to %s)", s.host.info.Name, s.host.info.Name)
	}
	u := hosts.BytesURL(s.host.host.Capabilities(), e.URL, e.Links)
	if u == "" {
		why := "its links are web pages"
		if nb := s.host.host.Capabilities().NoBytes; nb != "" {
			why = nb
		}
		return e, 0, fmt.Errorf("%s serves no URL fsdeck can fetch the bytes from (%s); open %s in a browser", s.host.info.Title, why, e.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return e, 0, err
	}
	hc := s.host.http
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return e, 0, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return e, 0, notFoundError(ctx, s, id)
	case resp.StatusCode != http.StatusOK:
		return e, 0, fmt.Errorf("%s answered HTTP %d for %s", s.host.info.Title, resp.StatusCode, u)
	}
	n, err := io.Copy(w, resp.Body)
	return e, n, err
}

// hostGetFile saves an upload into dir (or as name), never replacing a
// file without force: the bytes go to a temporary file renamed into place.
func hostGetFile(ctx context.Context, s *session, id, dir, name string, force bool) result {
	e, _ := s.ledger.Get(ctx, s.scope(), id)
	want := filepath.Join(dir, or(name, text.SafeLocalName(e.Filename, text.SafeLocalName(id, "download"))))
	if _, err := os.Lstat(want); err == nil && !force {
		return result{Handle: id, Path: want, Status: statusFailed, Error: "exists; not overwriting it without --force"}
	}
	tmp, err := os.CreateTemp(dir, ".fsdeck-download-*")
	if err != nil {
		return failure(id, err)
	}
	defer os.Remove(tmp.Name())
	e, n, gerr := hostGet(ctx, s, id, tmp)
	if cerr := tmp.Close(); gerr == nil {
		gerr = cerr
	}
	if gerr == nil && !force {
		if _, err := os.Lstat(want); err == nil {
			gerr = errors.New("appeared meanwhile; not overwriting it without --force")
		}
	}
	if gerr == nil {
		gerr = os.Rename(tmp.Name(), want)
	}
	if gerr != nil {
		r := failure(id, gerr)
		r.Path = want
		return r
	}
	return result{Handle: id, URL: e.URL, Filename: e.Filename, Size: n, Type: e.Mimetype, Path: want, Status: statusSaved}
}

// runHostURL is `fsdeck url --to NAME`: the upload's URLs as the ledger
// keeps them (signing and processing are Filestack's).
func runHostURL(ctx context.Context, f *urlOptions, arg string, io *iostreams.IOStreams) error {
	if f.signed != 0 || f.chain != "" {
		return usageError("--signed and --transform are Filestack-only; %s URLs are used as the service gives them", f.conn.target)
	}
	s, err := openSession(f.factory, f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	id, ok := hostID(ctx, s, arg)
	if !ok {
		return usageError("%q is not a %s upload id or URL in the ledger", arg, s.targetTitle())
	}
	text, name, err := hostURL(ctx, s, id, f.as)
	if err != nil {
		return err
	}
	if f.json {
		r := result{Handle: id, URL: text, Filename: name, Status: statusOK}
		if e, err := s.ledger.Get(ctx, s.scope(), id); err == nil {
			r.Size, r.Type, r.Path = e.Size, e.Mimetype, e.StorePath
		}
		s.printer(outFlags{json: true}, io, nil).add(r)
	} else {
		fmt.Fprintln(io.Out, text)
	}
	if f.copy {
		return copyText(ctx, text, io, s.cfg.NativeClipboard, s.getenv)
	}
	return nil
}

// runHostGet is `fsdeck get --to NAME`: each upload fetched from the URL
// that serves its bytes.
func runHostGet(ctx context.Context, s *session, f *getOptions, args []string, io *iostreams.IOStreams) error {
	if f.stdout {
		id, ok := hostID(ctx, s, args[0])
		if !ok {
			return usageError("%q is not a %s upload id or URL in the ledger", args[0], s.targetTitle())
		}
		if _, _, err := hostGet(ctx, s, id, io.Out); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		return nil
	}
	dir, name, err := getTarget(f.factory.WorkDir, f.output, len(args))
	if err != nil {
		return err
	}
	p := s.printer(f.out, io, func(r result) string { return r.Path })
	for _, a := range args {
		if ctx.Err() != nil {
			p.flush()
			return errInterrupted
		}
		id, ok := hostID(ctx, s, a)
		if !ok {
			p.add(result{Handle: a, Status: statusFailed, Error: "not a " + s.targetTitle() + " upload id or URL in the ledger"})
			continue
		}
		p.add(hostGetFile(ctx, s, id, dir, name, f.force))
	}
	return p.flush()
}
