package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/store"
)

// entryResult is a ledger entry as a result line.
func entryResult(s *session, e store.Entry, status string) result {
	return result{Handle: e.Handle, URL: s.fileURL(e), Filename: e.Filename, Size: e.Size,
		Type: e.Mimetype, Path: e.StorePath, Status: status, fromLedger: true}
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
}

// newHandlesCommand is a command that acts on each HANDLE argument in
// turn, reporting each result and going on after failures.
func newHandlesCommand(f *Factory, use, short, quietWhat string, act func(context.Context, *session, string) (result, error),
	runF func(context.Context, *handlesOptions) error) *cobra.Command {
	opts := &handlesOptions{IO: f.IOStreams, factory: f, act: act}
	cmd := &cobra.Command{
		Use:               use,
		Short:             short,
		Args:              minArgs(1, "at least one HANDLE"),
		ValidArgsFunction: completeHandles(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Handles = args
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runHandles(cmd.Context(), opts)
		},
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, quietWhat)
	return cmd
}

// runHandles opens the session and acts on each handle.
func runHandles(ctx context.Context, o *handlesOptions) error {
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
		h, ok := filestack.ParseHandle(a)
		if s.host != nil {
			h, ok = hostID(ctx, s, a)
		}
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
