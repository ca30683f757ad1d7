package cli

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/store"
)

// storeURLOptions are `fsdeck store-url`'s flags and URLs.
type storeURLOptions struct {
	IO        *iostreams.IOStreams
	factory   *Factory
	conn      connFlags
	out       outFlags
	storePath string
	URLs      []string
}

// newCmdStoreURL is `fsdeck store-url`.
func newCmdStoreURL(f *Factory, runF func(context.Context, *storeURLOptions) error) *cobra.Command {
	opts := &storeURLOptions{IO: f.IOStreams, factory: f}
	cmd := &cobra.Command{
		Use:   "store-url URL…",
		Short: "Store public URLs on Filestack (the server fetches them) and add them to the ledger",
		Args:  minArgs(1, "at least one URL"),
		RunE:  runE(opts, func(args []string) { opts.URLs = args }, runF, runStoreURL),
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, "handles")
	cmd.Flags().StringVar(&opts.storePath, "store-path", "", "store path (default from config.toml)")
	return cmd
}

// runStoreURL has the server fetch and store each URL.
func runStoreURL(ctx context.Context, o *storeURLOptions) error {
	o.conn.store.Path = o.storePath
	s, err := openSession(o.factory, o.conn)
	if err != nil {
		return err
	}
	defer s.close()
	us, ok := s.Target.Service.(hosts.URLStorer)
	if err := s.lacks(ok && s.Target.Caps().StoreURL, "store-url"); err != nil {
		return err
	}
	p := s.printer(o.out, o.IO, nil)
	for _, u := range o.URLs {
		p.add(storeOneURL(ctx, s, us, u, or(o.storePath, s.Config.Store.Path)))
	}
	return p.flush()
}

// storeOneURL has the target store one URL (at storePath, as the
// session's target was set up) and adds it to the ledger.
func storeOneURL(ctx context.Context, s *session, us hosts.URLStorer, u, storePath string) result {
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return result{Path: u, Status: statusFailed, Error: "not an http(s) URL"}
	}
	f, err := us.StoreURL(ctx, u, hosts.UploadOptions{})
	if err != nil {
		r := failure("", targetError(err))
		r.Path, r.Error = u, privateURLRemedy(s, r.Error)
		return r
	}
	e := store.Entry{Handle: f.ID, Filename: f.Name, Size: f.Size, Mimetype: f.Mimetype, Uploaded: time.Now(),
		Source: store.SourceURL, StorePath: storePath}
	r := entryResult(s, e, statusStored)
	r.Path = u
	if err := s.Ledger.Add(ctx, s.scope(), e); err != nil {
		r.Status, r.Error = statusFailed, "stored as "+f.ID+", but recording it in the ledger failed: "+err.Error()
	}
	return r
}

// privateRefusal is how fsdeck's server (the emulator) says it would not
// fetch a loopback or private address, and privateHint the remedy it
// gives, which names both of its switches.
const (
	privateRefusal = "a loopback, private or link-local address"
	privateHint    = " (start the server with --allow-private-urls"
)

// privateURLRemedy gives fsdeck's server's refusal to fetch a private
// address the remedy that works for the server this command used:
// FSDECK_ALLOW_PRIVATE_URLS=1 only reaches a local server this command
// starts; a running `fsdeck serve` (or another fsdeck serving local mode)
// was started without --allow-private-urls, and only restarting it with
// the flag changes that.
func privateURLRemedy(s *session, msg string) string {
	head, _, ok := strings.Cut(msg, privateHint)
	if !ok || !strings.Contains(head, privateRefusal) {
		return msg
	}
	ls := s.Conn.Server
	switch {
	case ls != nil && ls.Serving():
		return head + " (local mode's server runs in this command: set FSDECK_ALLOW_PRIVATE_URLS=1 to allow it)"
	case ls != nil:
		return head + " (the fsdeck server already running at " + strings.TrimPrefix(ls.Base(), "http://") +
			" refuses it: restart it with `fsdeck serve --allow-private-urls` to allow it; FSDECK_ALLOW_PRIVATE_URLS set for this command does not reach a server already running)"
	}
	return head + " (the server at " + s.Conn.Scope.Endpoint + " refuses it: start it with `fsdeck serve --allow-private-urls` to allow it)"
}
