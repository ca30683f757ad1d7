package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// rmOptions are `fsdeck rm`'s flags and handles.
type rmOptions struct {
	IO              *iostreams.IOStreams
	factory         *Factory
	conn            connFlags
	out             outFlags
	yes, forgetOnly bool
	Handles         []string
}

// newCmdRm is `fsdeck rm`.
func newCmdRm(f *Factory, runF func(context.Context, *rmOptions) error) *cobra.Command {
	opts := &rmOptions{IO: f.IOStreams, factory: f}
	cmd := &cobra.Command{
		Use:   "rm HANDLE…",
		Short: "Delete files on Filestack (needs the app secret) and from the ledger",
		Long: `Delete files on Filestack and from the ledger. It asks first unless --yes;
when standard input is not a terminal it refuses without --yes.
--forget-only removes the files from the ledger and leaves them on Filestack
(it touches only the ledger, so it needs no --yes without a terminal).`,
		Args:              minArgs(1, "at least one HANDLE"),
		ValidArgsFunction: completeHandles(f),
		RunE:              runE(opts, func(args []string) { opts.Handles = args }, runF, runRm),
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, "handles")
	cmd.Flags().BoolVarP(&opts.yes, "yes", "y", false, "do not ask")
	cmd.Flags().BoolVar(&opts.forgetOnly, "forget-only", false, "remove from the ledger only; the files stay on Filestack")
	return cmd
}

// runRm asks (unless --yes), then deletes or forgets each handle.
func runRm(ctx context.Context, o *rmOptions) error {
	io, args, forgetOnly := o.IO, o.Handles, o.forgetOnly
	// --forget-only touches only the ledger (the files stay where they
	// are), so a script needs no --yes for it; a person is still asked.
	if !o.yes && !forgetOnly && !io.IsStdinTTY() {
		return usageError("rm: standard input is not a terminal, so there is no one to ask; add --yes to delete")
	}
	s, err := openSession(o.factory, o.conn)
	if err != nil {
		return err
	}
	defer s.close()
	if err := canDelete(ctx, s, args, forgetOnly); err != nil {
		return err
	}
	if !o.yes && io.IsStdinTTY() {
		if err := confirmRemove(ctx, io, s, args, forgetOnly); err != nil {
			return err
		}
	}
	return eachHandle(ctx, s, s.printer(o.out, io, nil), args, func(ctx context.Context, s *session, h string) (result, error) {
		return removeHandle(ctx, s, h, forgetOnly)
	})
}

// confirmRemove asks on the terminal, naming each file (its name in the
// ledger and its handle; the first ten, then how many more) and where it
// is: Filestack, the local server in local mode, or the target.
func confirmRemove(ctx context.Context, io *iostreams.IOStreams, s *session, args []string, forgetOnly bool) error {
	where := s.filesWhere()
	q := fmt.Sprintf("Delete %s on %s and from the ledger?", text.CountOf(len(args), "file"), where)
	if forgetOnly {
		q = fmt.Sprintf("Forget %s (%s on %s)?", text.CountOf(len(args), "file"), itThey(len(args), "it stays", "they stay"), where)
	}
	fmt.Fprintln(io.ErrOut, q)
	for i, a := range args {
		if i == maxNamed {
			fmt.Fprintf(io.ErrOut, "  and %d more\n", len(args)-maxNamed)
			break
		}
		fmt.Fprintln(io.ErrOut, "  "+s.nameOf(ctx, a))
	}
	fmt.Fprint(io.ErrOut, "[y/N] ")
	line, _ := bufio.NewReader(io.In).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return fmt.Errorf("nothing deleted")
	}
	return nil
}

// maxNamed is how many files a question names one by one.
const maxNamed = 10

func itThey(n int, it, they string) string {
	if n == 1 {
		return it
	}
	return they
}

// filesWhere names where the session's target keeps its files, as a
// question about deleting them says it: the root target's stand-in is the
// local server itself, another target's runs in it.
func (s *session) filesWhere() string {
	t := s.Target
	switch {
	case t.Local && t.Info.Root:
		return "the local server"
	case t.Local:
		return t.Info.Title + " (the local server's stand-in)"
	}
	return t.Info.Title
}

// nameOf is how a question names an argument of rm: "a.txt (HANDLE)"
// when the ledger knows it, else the argument as given (sanitised).
func (s *session) nameOf(ctx context.Context, arg string) string {
	h, ok := s.parseRef(ctx, arg)
	if !ok {
		return text.Sanitize(arg) + " (not a " + s.targetTitle() + " handle or URL)"
	}
	e, err := s.Ledger.Get(ctx, s.scope(), h)
	switch {
	case err != nil:
		return text.Sanitize(h) + " (not in the ledger)"
	case e.Filename == "":
		return text.Sanitize(h)
	}
	return text.Sanitize(e.Filename) + " (" + text.Sanitize(h) + ")"
}

// removeHandle deletes a file through the target (a Deleter), or only
// forgets it, and removes it from the ledger. A target that cannot delete
// says why: it needs a login, or its uploads are deleted on a page of its
// own.
func removeHandle(ctx context.Context, s *session, h string, forgetOnly bool) (result, error) {
	t := s.Target
	e, lerr := s.Ledger.Get(ctx, s.scope(), h)
	if lerr != nil {
		e = store.Entry{Handle: h}
	}
	status := statusForgot
	d, ok := t.Service.(hosts.Deleter)
	switch ok = ok && t.Caps().Delete; {
	case forgetOnly && lerr != nil:
		return result{}, fmt.Errorf("%s: not in the ledger", h)
	case forgetOnly:
	case !ok:
		return result{}, cannotDelete(t, h, hasLink(e.Links, "delete"))
	default:
		if err := d.Delete(ctx, h); err != nil {
			return result{}, fileError(ctx, s, h, err)
		}
		status = statusDeleted
	}
	if err := s.Ledger.Remove(ctx, s.scope(), h); err != nil {
		return result{}, fmt.Errorf("removing from the ledger: %w", err)
	}
	return entryResult(s, e, status), nil
}

// canDelete refuses, before asking or sending anything, to delete on a
// target that cannot: an unsupported operation, status 2 (--forget-only
// needs no power of the target).
func canDelete(ctx context.Context, s *session, args []string, forgetOnly bool) error {
	_, ok := s.Target.Service.(hosts.Deleter)
	if forgetOnly || (ok && s.Target.Caps().Delete) {
		return nil
	}
	h, page := "HANDLE", false
	for _, a := range args {
		if id, ok := s.parseRef(ctx, a); ok {
			e, _ := s.Ledger.Get(ctx, s.scope(), id)
			page = page || hasLink(e.Links, "delete")
			if len(args) == 1 {
				h = id
			}
		}
	}
	return &exitError{code: exitUsage, err: cannotDelete(s.Target, h, page)}
}

// cannotDelete says that target t cannot delete h, and what can: a login,
// the service's delete page (page: the upload has one), --forget-only.
func cannotDelete(t *sess.Target, h string, page bool) error {
	if t.Info.LoginHelp != "" {
		return fmt.Errorf("%s cannot delete uploads without a login: `fsdeck key set --target %s --login` (or use --forget-only)",
			t.Info.Name, t.Info.Name)
	}
	msg := t.Info.Name + " cannot delete uploads"
	if page {
		msg += " through its API; open its delete page (`fsdeck url --to " + t.Info.Name + " " + h + " --as delete`)"
	}
	return errors.New(msg + ", or use --forget-only")
}
