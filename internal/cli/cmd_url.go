package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/clipboard"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

type urlOptions struct {
	IO      *iostreams.IOStreams
	factory *Factory
	Handle  string
	conn    connFlags
	signed  time.Duration
	// signedText is --signed as given (parsed by runURL, as --expiry is).
	signedText string
	chain, as  string
	copy       bool
	json       bool
	// fields is --fields (implies --json).
	fields    []string
	fieldsArg string
	// qr is --qr: the text as a QR code too.
	qr bool
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
		RunE:              runE(opts, func(args []string) { opts.Handle = args[0] }, runF, runURL),
	}
	opts.conn.register(cmd)
	cmd.Flags().Var(durationText{&opts.signedText}, "signed", "sign with the app secret, valid for this long (e.g. 1h, 2d, 1w)")
	cmd.Flags().StringVar(&opts.chain, "transform", "", "processing chain, e.g. resize=width:300/rotate=deg:90")
	cmd.Flags().StringVar(&opts.as, "as", "url", "url, handle, markdown, html or curl; with --to, also the service's links (thumb, medium, delete, viewer, permalink, downloadPage, raw, …)")
	cmd.Flags().BoolVar(&opts.copy, "copy", false, "also copy it to the clipboard")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print a JSON object whose url field is the text --as made")
	cmd.Flags().StringVar(&opts.fieldsArg, "fields", "", "with --json, only these keys, in this order (e.g. url,sha256; implies --json)")
	cmd.Flags().BoolVar(&opts.qr, "qr", false, "also print it as a QR code (half blocks), for a phone's camera")
	cmd.RegisterFlagCompletionFunc("as", cobra.FixedCompletions([]string{"url", "handle", "markdown", "html", "curl",
		"viewer", "display", "thumb", "medium", "delete", "permalink", "downloadPage", "raw"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// runURL prints a file's URL in the form --as names. A target whose URLs
// are derived from the id (Filestack's CDN) builds it, signed (a Signer)
// or processed (a Transformer) when asked; the others' URLs and links are
// the ones the ledger keeps from the upload.
func runURL(ctx context.Context, f *urlOptions) error {
	arg, io := f.Handle, f.IO
	if f.signedText != "" {
		// One duration grammar: --signed reads as --expiry does (0s is
		// no validity at all, 1d a day).
		d, err := parseExpiry(f.signedText)
		if err != nil {
			return usageError("--signed needs a positive duration (%q): %v", f.signedText, err)
		}
		f.signed = d
	}
	if f.qr && (f.json || f.fieldsArg != "") {
		return usageError("--qr draws the URL for a camera; --json is for scripts: give one of them")
	}
	if f.fieldsArg != "" {
		fields, err := parseFields(f.fieldsArg)
		if err != nil {
			return err
		}
		f.fields, f.json = fields, true
	}
	// What the target can do and how it reads the argument are known
	// before the session starts anything.
	kind, err := sess.Kind(f.conn.target)
	if err != nil {
		return err
	}
	kcaps := kind.Caps()
	_, signs := kind.Service.(hosts.Signer)
	_, transforms := kind.Service.(hosts.Transformer)
	if (f.signed != 0 && !(signs && kcaps.SignedURL)) || (f.chain != "" && !(transforms && kcaps.Transform)) {
		return usageError("--signed and --transform are Filestack-only; %s URLs are used as the service gives them", kind.Info.Name)
	}
	h, own, ok := ownRef(kind, arg)
	if own && !ok {
		return notRef(kind, arg)
	}
	var ch transform.Chain
	if own && f.chain != "" {
		if ch, err = parseChain(h, f.chain); err != nil {
			return err
		}
	}
	s, err := openSession(f.factory, f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	t := s.Target
	caps := t.Caps()
	signer, _ := t.Service.(hosts.Signer)
	tr, _ := t.Service.(hosts.Transformer)
	if (f.signed != 0 && signer == nil) || (f.chain != "" && tr == nil) {
		return usageError("--signed and --transform are Filestack-only; %s URLs are used as the service gives them", t.Info.Name)
	}
	if !own {
		if h, ok = s.parseRef(ctx, arg); !ok {
			return notRef(t, arg)
		}
		if f.chain != "" {
			if ch, err = parseChain(h, f.chain); err != nil {
				return err
			}
		}
	}
	if f.signed > 0 {
		if _, ok := signer.SignedURL(h, f.signed); !ok {
			return authError("--signed needs the app secret: add it with `fsdeck key set --secret` or %s", store.EnvAppSecret)
		}
	}
	e, err := s.Ledger.Get(ctx, s.scope(), h)
	derived := caps.DerivedURL
	switch {
	case err != nil && !derived:
		return fmt.Errorf("%s: not in the %s ledger (fsdeck ls --to %s)", h, t.Info.Name, t.Info.Name)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	name := or(e.Filename, h)
	u := e.URL
	if d, ok := t.Service.(hosts.URLDeriver); ok && derived {
		u = d.URLOf(h)
	}
	switch {
	case f.chain != "":
		u = tr.TransformURL(ch, f.signed)
	case f.signed > 0:
		u, _ = signer.SignedURL(h, f.signed)
	}
	// Image forms only where the URL serves the image itself; a page
	// (GoFile, DDownload) would render as a broken image.
	image := servesImage(e.Mimetype, ch) && caps.DirectURL
	// A link of the service's (thumb, delete, …) by its label, else a
	// form of the main URL; a target whose files have links lists them.
	text := linkOf(e.Links, f.as)
	if text == "" {
		if text, err = renderURL(f.as, h, u, name, image); err != nil && derived {
			return err
		} else if err != nil {
			labels := []string{"url", "handle", "markdown", "html", "curl"}
			for _, l := range e.Links {
				labels = append(labels, l.Label)
			}
			return usageError("--as %q: this %s upload has %s", f.as, t.Info.Title, strings.Join(labels, ", "))
		}
	}
	if f.json {
		r := result{Handle: h, URL: text, Filename: name, Path: e.StorePath, Status: statusOK}.withEntry(e)
		if f.chain == "" {
			// A processed URL serves another size and type than the file.
			r.Size, r.Type = e.Size, e.Mimetype
		} else {
			r.SHA256 = ""
		}
		s.printer(outFlags{json: true, fields: f.fields}, io, nil).add(r)
	} else {
		if f.qr {
			code, err := qrText(text, io.IsStdoutTTY())
			if err != nil {
				return fmt.Errorf("cannot draw a QR code of this URL: %v", err)
			}
			fmt.Fprint(io.Out, code)
		}
		fmt.Fprintln(io.Out, text)
	}
	if f.copy {
		return copyText(ctx, text, io, s.Config.NativeClipboard, s.Getenv)
	}
	return nil
}

// linkOf is the URL of the link labelled label ("" when there is none).
func linkOf(ls []hosts.Link, label string) string {
	for _, l := range ls {
		if l.Label == label {
			return l.URL
		}
	}
	return ""
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

// qrText is text.QR (runURL's local variable text shadows the package).
var qrText = text.QR
