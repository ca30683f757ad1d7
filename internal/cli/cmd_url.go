package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/clipboard"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

type urlOptions struct {
	IO        *iostreams.IOStreams
	factory   *Factory
	Handle    string
	conn      connFlags
	signed    time.Duration
	chain, as string
	copy      bool
	json      bool
}

// newCmdURL is `fsdeck url`.
func newCmdURL(f *Factory, runF func(context.Context, *urlOptions) error) *cobra.Command {
	opts := &urlOptions{IO: f.IOStreams, factory: f}
	cmd := &cobra.Command{
		Use:   "url HANDLE",
		Short: "Print a file's URL (signed, transformed, or as Markdown, HTML or a curl command)",
		Long: `Print the delivery URL of a handle. --signed TTL attaches a read policy
valid for TTL (needs the app secret); --transform adds a processing chain;
--as picks the form; --copy also puts it on the clipboard and says exactly
where it went (tmux buffer, a native tool, or only the terminal).`,
		Example:           "  fsdeck url HANDLE --transform resize=width:300 --as markdown",
		Args:              exactArgs(1, "one HANDLE"),
		ValidArgsFunction: completeHandles(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Handle = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runURL(cmd.Context(), opts)
		},
	}
	opts.conn.register(cmd)
	cmd.Flags().DurationVar(&opts.signed, "signed", 0, "sign with the app secret, valid for this long (e.g. 1h)")
	cmd.Flags().StringVar(&opts.chain, "transform", "", "processing chain, e.g. resize=width:300/rotate=deg:90")
	cmd.Flags().StringVar(&opts.as, "as", "url", "url, handle, markdown, html or curl; with --to, also the service's links (thumb, medium, delete, viewer, permalink, downloadPage, raw, …)")
	cmd.Flags().BoolVar(&opts.copy, "copy", false, "also copy it to the clipboard")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print a JSON object whose url field is the text --as made")
	cmd.RegisterFlagCompletionFunc("as", cobra.FixedCompletions([]string{"url", "handle", "markdown", "html", "curl",
		"viewer", "display", "thumb", "medium", "delete", "permalink", "downloadPage", "raw"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runURL(ctx context.Context, f *urlOptions) error {
	arg, io := f.Handle, f.IO
	if isHostTarget(f.conn.target) {
		return runHostURL(ctx, f, arg, io)
	}
	h, ok := filestack.ParseHandle(arg)
	if !ok {
		return usageError("%q is not a Filestack handle or URL", arg)
	}
	if f.signed < 0 {
		return usageError("--signed needs a positive duration, such as 1h")
	}
	var ch transform.Chain
	if f.chain != "" {
		var err error
		if ch, err = parseChain(h, f.chain); err != nil {
			return err
		}
	}
	s, err := openSession(f.factory, f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	c := s.conn.client
	if f.signed > 0 && !c.HasSecret() {
		return authError("--signed needs the app secret: add it with `fsdeck key set --secret` or %s", store.EnvAppSecret)
	}
	u := c.CDNURL(h)
	switch {
	case f.chain != "":
		u = c.TransformURL(ch, f.signed)
	case f.signed > 0:
		u, _ = c.SignedURL(h, f.signed)
	}
	name, image := h, false
	e, err := s.ledger.Get(ctx, s.scope(), h)
	switch {
	case err == nil:
		name, image = or(e.Filename, h), servesImage(e.Mimetype, ch)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	text, err := renderURL(f.as, h, u, name, image)
	if err != nil {
		return err
	}
	if f.json {
		r := result{Handle: h, URL: text, Filename: name, Path: e.StorePath, Status: statusOK}
		if f.chain == "" {
			// A processed URL serves another size and type than the file.
			r.Size, r.Type = e.Size, e.Mimetype
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

// renderURL writes the URL in the form asked for, escaped for the form
// exactly as the interface's copy-as menu does; Markdown and HTML are the
// image forms (![…](…), <img>) when the URL serves an image.
func renderURL(as, h, u, name string, image bool) (string, error) {
	switch as {
	case "url":
		return u, nil
	case "handle":
		return h, nil
	case "markdown":
		return text.MarkdownLink(name, u, image), nil
	case "html":
		return text.HTMLLink(name, u, image), nil
	case "curl":
		return text.CurlCommand(name, h, u), nil
	}
	return "", usageError("--as %q: use url, handle, markdown, html or curl", as)
}

// servesImage says whether a file of type mimetype, processed by chain
// (empty: none), is delivered as an image: an image stays one unless an
// output task converts it to a document format.
func servesImage(mimetype string, chain transform.Chain) bool {
	if !strings.HasPrefix(mimetype, "image/") {
		return false
	}
	for _, t := range chain.Tasks {
		if t.Name != "output" || !t.Has("format") {
			continue
		}
		switch strings.ToLower(t.String("format", "")) {
		case "jpg", "jpeg", "pjpg", "png", "webp", "gif", "bmp", "tiff", "svg":
		default:
			return false // a document format: pdf, docx, txt, …
		}
	}
	return true
}

// clipboardEnv is the system's clipboard routes, seen through getenv
// (TMUX, STY, SSH_TTY, WAYLAND_DISPLAY, DISPLAY decide them).
func clipboardEnv(getenv func(string) string) clipboard.Env {
	return clipboard.System(getenv)
}

// copyText puts text on the clipboard as the interface does and reports
// exactly what happened on stderr (an OSC 52 sequence is reported as sent,
// not as copied); exit status 1 when nothing could take it.
func copyText(ctx context.Context, text string, io *iostreams.IOStreams, native bool, getenv func(string) string) error {
	env := clipboardEnv(getenv)
	env.NoTools = !native
	var term *os.File
	if f, ok := io.ErrOut.(*os.File); ok && io.IsStderrTTY() {
		term = f
	}
	var rep clipboard.Report
	if term != nil {
		rep = clipboard.Copy(ctx, text, term, env)
	} else {
		rep = clipboard.Copy(ctx, text, nil, env)
	}
	fmt.Fprintln(io.ErrOut, "fsdeck: clipboard:", rep.String())
	if rep.Failed() {
		return errPartial
	}
	return nil
}
