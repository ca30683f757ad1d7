package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/store"
)

// entryResult is a ledger entry as a result line.
func entryResult(s *session, e store.Entry, status string) result {
	return result{Handle: e.Handle, URL: s.fileURL(e), Filename: e.Filename, Size: e.Size,
		Type: e.Mimetype, Path: e.StorePath, Status: status, fromLedger: true}.withEntry(e)
}

// handlesOptions are the flags and arguments of a command that acts on
// each HANDLE in turn (stat, import).
type handlesOptions struct {
	IO      *iostreams.IOStreams
	factory *Factory
	conn    connFlags
	out     outFlags
	Handles []string
	// act is what the command does to one handle.
	act func(ctx context.Context, s *session, h string) (result, error)
	// can refuses a target that cannot do what act does (a usage error),
	// checked on the target's kind before the session starts anything.
	can func(t *sess.Target) error
}

// newHandlesCommand is a command that acts on each HANDLE argument in
// turn, reporting each result and going on after failures.
func newHandlesCommand(f *Factory, use, short, quietWhat string, act func(context.Context, *session, string) (result, error),
	can func(*sess.Target) error, runF func(context.Context, *handlesOptions) error) *cobra.Command {
	opts := &handlesOptions{IO: f.IOStreams, factory: f, act: act, can: can}
	cmd := &cobra.Command{
		Use:               use,
		Short:             short,
		Args:              minArgs(1, "at least one HANDLE"),
		ValidArgsFunction: completeHandles(f),
		RunE:              runE(opts, func(args []string) { opts.Handles = args }, runF, runHandles),
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, quietWhat)
	return cmd
}

// runHandles opens the session and acts on each handle.
func runHandles(ctx context.Context, o *handlesOptions) error {
	kind, err := sess.Kind(o.conn.target)
	if err != nil {
		return err
	}
	if err := o.can(kind); err != nil {
		return err
	}
	s, err := openSession(o.factory, o.conn)
	if err != nil {
		return err
	}
	defer s.close()
	return eachHandle(ctx, s, s.printer(o.out, o.IO, nil), o.Handles, o.act)
}

// eachHandle acts on each argument in turn, printing each result.
func eachHandle(ctx context.Context, s *session, p *printer, args []string, act func(context.Context, *session, string) (result, error)) error {
	for _, a := range args {
		if ctx.Err() != nil {
			p.flush()
			return errInterrupted
		}
		h, ok := s.parseRef(ctx, a)
		if !ok {
			p.add(result{Handle: a, Status: statusFailed, Error: "not a " + s.targetTitle() + " handle or URL"})
			continue
		}
		r, err := act(ctx, s, h)
		if err != nil {
			r = failure(h, err)
		}
		p.add(r)
	}
	return p.flush()
}

// ownRef reads an argument naming a file the way target t itself does,
// without the ledger: own is set for an Importer, which reads its ids and
// URLs (Filestack: a handle, or a CDN, File API or processing URL ending
// in one); for the others ids are told apart through the ledger
// (session.parseRef).
func ownRef(t *sess.Target, arg string) (id string, own, ok bool) {
	if imp, is := t.Service.(hosts.Importer); is && t.Caps().Import {
		id, ok = imp.ParseRef(arg)
		return id, true, ok
	}
	return "", false, false
}

// parseRef reads an argument naming a file of the session's target: the
// target's own reading (ownRef), else the upload's id, or one of its URLs
// as the ledger keeps them (in local mode under any port the local server
// had: they are compared as rebuilt for the current one).
func (s *session) parseRef(ctx context.Context, arg string) (string, bool) {
	if id, own, ok := ownRef(s.Target, arg); own {
		return id, ok
	}
	if strings.Contains(arg, "://") {
		if s.Target.Local {
			arg = hosts.RebaseLocal(s.Target.Info.Name, arg, s.LocalBase())
		}
		entries, _ := s.Ledger.List(ctx, s.scope())
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

// notRef words an argument parseRef refused, for a usage error: "%q is
// not a Filestack handle or URL", or for a target whose ids only the
// ledger tells apart "… upload id or URL in the ledger".
func notRef(t *sess.Target, arg string) error {
	return usageError("%q is not a %s", arg, refWhat(t))
}

// refWhat is what parseRef reads for target t, as a message names it.
func refWhat(t *sess.Target) string {
	if _, own, _ := ownRef(t, ""); own {
		return t.Info.Title + " handle or URL"
	}
	return t.Info.Title + " upload id or URL in the ledger"
}

// resultEntry is a target's answer about a file as a ledger entry,
// keeping what only the ledger knows (the local path, the content hash)
// and what the answer leaves out. A URL the target derives from the id
// is not kept.
func (s *session) resultEntry(r hosts.Result, old store.Entry) store.Entry {
	e := old
	e.Handle, e.Gone, e.RefreshedAt = r.ID, false, time.Now()
	if r.Name != "" {
		e.Filename = store.ExactName(old.Filename, r.Name)
	}
	if r.Mimetype != "" {
		e.Mimetype = r.Mimetype
	}
	if r.Size > 0 {
		e.Size = r.Size
	}
	if !r.Created.IsZero() {
		e.Uploaded = r.Created
	}
	if r.URL != "" && !s.Target.Caps().DerivedURL {
		e.URL = r.URL
	}
	if len(r.Links) > 0 {
		e.Links = r.Links
	}
	if !r.Expires.IsZero() {
		e.Expires = r.Expires
	}
	return e
}

// targetError words a target's failure for a command: the Filestack
// client's errors as fsdeck has always worded them (a missing app secret
// or a rejected key exits with status 3), the others as hosts.Describe
// words them (the limit in plain words, what to do; a rejected key exits
// with status 3).
func targetError(err error) error {
	switch {
	case errors.Is(err, filestack.ErrNoSecret):
		return authError("%v", err)
	case filestack.IsUnauthorized(err):
		return authError("the API key was rejected: %v (check it with `fsdeck key status`)", err)
	case filestack.IsPolicyError(err):
		// fsdeck signs its own policies for what it asks, so a 403 means
		// the signature did not match (or none was sent): the secret's
		// fault, exit 3 like a rejected key.
		return authError("refused for its security policy (%v): the app secret was rejected or is missing; "+
			"check it with `fsdeck key status` and set the right one with `fsdeck key set --secret`", err)
	case filestack.IsNotFound(err):
		return fmt.Errorf("not found on the server (404)")
	case errors.Is(err, hosts.ErrAuth):
		return authError("%s", hosts.Describe(err))
	}
	var he *hosts.Error
	if errors.As(err, &he) {
		return errors.New(hosts.Describe(err))
	}
	return err
}

// fileError is targetError for get and rm: a file the target no longer
// has is notFoundError.
func fileError(ctx context.Context, s *session, h string, err error) error {
	if errors.Is(err, hosts.ErrNotFound) {
		return notFoundError(ctx, s, h)
	}
	return targetError(err)
}

func hasLink(ls []hosts.Link, label string) bool {
	for _, l := range ls {
		if l.Label == label {
			return true
		}
	}
	return false
}
