package cli

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/text"
)

// result is one line of a command's output. With --json it is printed as
// one JSON object per line with every field present, so scripts can rely
// on the names (README, "Scripting").
type result struct {
	Handle   string `json:"handle"`
	URL      string `json:"url"`
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
	Type     string `json:"type"`
	Path     string `json:"path"`
	Status   string `json:"status"`
	Error    string `json:"error"`
	// Target is the upload target's name ("filestack", "imgbb", …).
	Target string `json:"target"`
	// auth marks a failure caused by a rejected key or a missing app
	// secret (exit status 3).
	auth bool
	// network marks a failure to reach the server (exit status 4 when
	// every failure is one).
	network bool
	// fromLedger: Path is a store path, not a local one, so the table
	// names the row by its file name (a store path is often the storage
	// key, "9DUzQOhu_blue.png").
	fromLedger bool
}

// jsonResult is a result as a --json line. JSON strings are UTF-8, so
// encoding/json writes each byte of a name that is not valid UTF-8 as
// U+FFFD, and a script could not find that file again from path; such a
// path or filename also comes, exactly, in path_bytes or filename_bytes
// (standard base64), which are absent otherwise.
type jsonResult struct {
	result
	PathBytes     string `json:"path_bytes,omitempty"`
	FilenameBytes string `json:"filename_bytes,omitempty"`
}

func (r result) jsonLine() []byte {
	jr := jsonResult{result: r}
	if !utf8.ValidString(r.Path) {
		jr.PathBytes = base64.StdEncoding.EncodeToString([]byte(r.Path))
	}
	if !utf8.ValidString(r.Filename) {
		jr.FilenameBytes = base64.StdEncoding.EncodeToString([]byte(r.Filename))
	}
	b, _ := json.Marshal(jr)
	return b
}

// Result statuses.
const (
	statusStored   = "stored"    // uploaded, or stored from a URL or a transformation
	statusResumed  = "resumed"   // a journaled upload finished
	statusSkipped  = "skipped"   // --skip-existing found the same content in the ledger
	statusFailed   = "failed"    // see error
	statusSaved    = "saved"     // downloaded
	statusDeleted  = "deleted"   // removed from Filestack and the ledger
	statusForgot   = "forgotten" // removed from the ledger only
	statusImported = "imported"  // added to the ledger
	statusOK       = "ok"        // listed or described
	// statusGone: the ledger lists it, the server no longer has it (ls;
	// stat, where error says how to drop the row, and it counts as failed).
	statusGone = "gone"
)

// outFlags choose the output format.
type outFlags struct {
	json, quiet bool
}

func (o *outFlags) register(cmd *cobra.Command, quietWhat string) {
	cmd.Flags().BoolVar(&o.json, "json", false, "print one JSON object per result (JSON Lines)")
	cmd.Flags().BoolVarP(&o.quiet, "quiet", "q", false, "print only "+quietWhat+", one per line")
	cmd.MarkFlagsMutuallyExclusive("json", "quiet")
}

// printer writes results to stdout in the chosen format and each failure
// to stderr with its path and reason. A table is written when flushed, so
// its columns line up; JSON Lines and quiet lines as results come.
type printer struct {
	out    outFlags
	stdout io.Writer
	stderr io.Writer
	quiet  func(result) string
	rows   []result
	failed int
	auth   bool
	// network counts the failures that were the network's.
	network int
	// around, when set, wraps every write (the progress block clears
	// itself and redraws after).
	around func(func())
	// target names the target in every result that does not name one.
	target string
}

func newPrinter(o outFlags, io *iostreams.IOStreams, quiet func(result) string) *printer {
	if quiet == nil {
		quiet = func(r result) string { return r.Handle }
	}
	return &printer{out: o, stdout: io.Out, stderr: io.ErrOut, quiet: quiet, around: func(f func()) { f() }, target: builtin.Registry().Root()}
}

// printer is newPrinter for the session's target.
func (s *session) printer(o outFlags, io *iostreams.IOStreams, quiet func(result) string) *printer {
	p := newPrinter(o, io, quiet)
	p.target = s.targetName()
	return p
}

// add prints or keeps one result.
func (p *printer) add(r result) {
	if r.Target == "" {
		r.Target = p.target
	}
	p.around(func() {
		if r.Status == statusFailed || (r.Status == statusGone && r.Error != "") {
			p.failed++
			p.auth = p.auth || r.auth
			if r.network && !r.auth {
				p.network++
			}
			what := or(r.Path, or(r.Handle, r.Filename)) // a stream (upload --stdin-name) has only its name
			fmt.Fprintf(p.stderr, "fsdeck: %s: %s\n", text.Sanitize(what), text.Sanitize(r.Error))
		}
		switch {
		case p.out.json:
			fmt.Fprintf(p.stdout, "%s\n", r.jsonLine())
		case p.out.quiet:
			if v := p.quiet(r); v != "" && r.Status != statusFailed {
				fmt.Fprintln(p.stdout, text.Sanitize(v))
			}
		default:
			p.rows = append(p.rows, r)
		}
	})
}

// flush writes the table and returns errPartial when something failed
// (an exit status 3 error when a key or secret was the reason).
func (p *printer) flush() error {
	if len(p.rows) > 0 {
		tw := tabwriter.NewWriter(p.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "STATUS\tHANDLE\tSIZE\tTYPE\tNAME")
		for _, r := range p.rows {
			// The local path of an upload; a ledger row's file name.
			name := r.Path
			if name == "" || r.fromLedger {
				name = or(r.Filename, r.Path)
			}
			size := "-"
			if r.Size > 0 || r.Status != statusFailed {
				size = humanize.IBytes(uint64(max(r.Size, 0)))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", text.Sanitize(r.Status), orDash(text.Sanitize(r.Handle)), size, orDash(text.Sanitize(r.Type)),
				text.Sanitize(name))
		}
		tw.Flush()
		p.rows = nil
	}
	if p.auth {
		return &exitError{code: exitAuth, err: errQuiet}
	}
	if p.failed > 0 && p.network == p.failed {
		// Only the network failed: a script may retry (the rest went).
		return &exitError{code: exitNetwork, err: errQuiet}
	}
	if p.failed > 0 {
		return errPartial
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// failure is a failed result for a handle; a rejected key or missing app
// secret marks it for exit status 3.
func failure(handle string, err error) result {
	var ee *exitError
	auth := errors.As(err, &ee) && ee.code == exitAuth
	return result{Handle: handle, Status: statusFailed, Error: err.Error(), auth: auth, network: !auth && networkFailure(err)}
}
