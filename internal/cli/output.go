package cli

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
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
	// SavedAs is where get saved the file (Filename is the server's
	// name, which the disk may not hold, or -o renamed).
	SavedAs string `json:"saved_as"`
	// Uploaded is when the file was uploaded (RFC 3339, UTC; "" when
	// unknown), SHA256 its content's hash (hex; "" when unknown), both
	// from the ledger.
	Uploaded string `json:"uploaded"`
	SHA256   string `json:"sha256"`
	// Reason says why a file is sent or left out (--dry-run, sync, a
	// skipped file); absent when there is none.
	Reason string `json:"reason,omitempty"`
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
// path, filename or saved_as also comes, exactly, in path_bytes,
// filename_bytes or saved_as_bytes (standard base64), which are absent
// otherwise.
type jsonResult struct {
	result
	PathBytes     string `json:"path_bytes,omitempty"`
	FilenameBytes string `json:"filename_bytes,omitempty"`
	SavedAsBytes  string `json:"saved_as_bytes,omitempty"`
}

// jsonLine is r as a --json line; with fields (--fields) only those
// keys, in that order (path_bytes, filename_bytes and saved_as_bytes come with their
// fields when present). One row at a time, so output can stream.
func (r result) jsonLine(fields ...string) []byte {
	jr := jsonResult{result: r}
	if !utf8.ValidString(r.Path) {
		jr.PathBytes = base64.StdEncoding.EncodeToString([]byte(r.Path))
	}
	if !utf8.ValidString(r.Filename) {
		jr.FilenameBytes = base64.StdEncoding.EncodeToString([]byte(r.Filename))
	}
	if !utf8.ValidString(r.SavedAs) {
		jr.SavedAsBytes = base64.StdEncoding.EncodeToString([]byte(r.SavedAs))
	}
	b, _ := json.Marshal(jr)
	if len(fields) == 0 {
		return b
	}
	var all map[string]json.RawMessage
	json.Unmarshal(b, &all)
	out := []byte{'{'}
	put := func(k string) {
		v, ok := all[k]
		if !ok {
			return
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = strconv.AppendQuote(out, k)
		out = append(append(out, ':'), v...)
	}
	for _, f := range fields {
		put(f)
		if f == "path" || f == "filename" || f == "saved_as" {
			put(f + "_bytes")
		}
	}
	return append(out, '}')
}

// jsonFields are every key a --json line can have, in order.
func jsonFields() []string {
	var out []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
				out = append(out, name)
			}
		}
	}
	walk(reflect.TypeOf(jsonResult{}))
	return out
}

// parseFields reads --fields a,b,c: known keys only (a usage error lists
// them), each once.
func parseFields(v string) ([]string, error) {
	valid := jsonFields()
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" || seen[f] {
			continue
		}
		if !slices.Contains(valid, f) {
			return nil, usageError("--fields: unknown field %q; valid fields: %s", f, strings.Join(valid, ", "))
		}
		seen[f] = true
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, usageError("--fields needs at least one field: %s", strings.Join(valid, ", "))
	}
	return out, nil
}

// withEntry adds what the ledger knows of r's file: when it was uploaded
// and its SHA-256.
func (r result) withEntry(e store.Entry) result {
	if !e.Uploaded.IsZero() {
		r.Uploaded = e.Uploaded.UTC().Format(time.RFC3339)
	}
	r.SHA256 = e.SHA256
	return r
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
	// fields is --fields: the JSON keys to print (implies --json).
	fields    []string
	fieldsArg string
	// ordered is --ordered: results in the order of the arguments (and
	// of the files a directory holds), not as they finish.
	ordered bool
}

func (o *outFlags) register(cmd *cobra.Command, quietWhat string) {
	cmd.Flags().BoolVar(&o.json, "json", false, "print one JSON object per result (JSON Lines)")
	cmd.Flags().BoolVarP(&o.quiet, "quiet", "q", false, "print only "+quietWhat+", one per line")
	cmd.Flags().StringVar(&o.fieldsArg, "fields", "", "with --json, only these keys, in this order (e.g. handle,url,sha256; implies --json)")
	cmd.Flags().BoolVar(&o.ordered, "ordered", false, "print results in the order of the arguments, not as each finishes")
	cmd.MarkFlagsMutuallyExclusive("json", "quiet")
	cmd.RegisterFlagCompletionFunc("fields", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return jsonFields(), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if c.Flags().Changed("fields") {
			if o.quiet {
				return usageError("--fields chooses the keys of --json lines; --quiet prints none")
			}
			f, err := parseFields(o.fieldsArg)
			if err != nil {
				return err
			}
			o.fields, o.json = f, true
		}
		return run(c, args)
	}
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
	// ledgerCols adds the upload time and the SHA-256 (its first 12
	// hex digits) to the table (ls).
	ledgerCols bool
	// With --ordered, index is each result's place (setOrder), held
	// back until those before it are printed; next is the next place.
	index   map[string]int
	key     func(result) string
	held    map[int][]result
	next    int
	places  int
	unknown []result
	// header says whether the table's header is out (a long table is
	// written in blocks, see tableBlock), reasons whether it has the
	// REASON column.
	header, reasons bool
}

// tableBlock is how many rows a table holds to line its columns up: a
// longer one (upload -r of 100,000 files) is written in blocks of this
// many rows as results come, each lined up on its own, so that memory
// does not grow with the number of files.
const tableBlock = 1000

// setOrder gives the order --ordered prints in: keys (local paths,
// handles) in input order, key(r) a result's. Without --ordered results
// print as they come.
func (p *printer) setOrder(keys []string, key func(result) string) {
	if !p.out.ordered {
		return
	}
	p.index, p.key, p.held = map[string]int{}, key, map[int][]result{}
	for _, k := range keys {
		p.expect(k)
	}
}

// expect adds a key after those setOrder gave (a command that learns its
// keys as it goes).
func (p *printer) expect(k string) {
	if _, dup := p.index[k]; p.index != nil && !dup {
		p.index[k] = p.places
		p.places++
	}
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

// add prints or keeps one result (with --ordered, once those before it
// are printed).
func (p *printer) add(r result) {
	if p.index == nil {
		p.emit(r)
		return
	}
	i, ok := p.index[p.key(r)]
	if !ok || i < p.next {
		p.unknown = append(p.unknown, r)
		return
	}
	p.held[i] = append(p.held[i], r)
	for len(p.held[p.next]) > 0 {
		for _, h := range p.held[p.next] {
			// A place printed is forgotten: --ordered holds only the
			// results waiting for one before them (at most the jobs in
			// flight and the plan's window), however many there are.
			delete(p.index, p.key(h))
			p.emit(h)
		}
		delete(p.held, p.next)
		p.next++
	}
}

// release prints what --ordered still holds, in order (a place whose
// result never came is skipped), then results it could not place.
func (p *printer) release() {
	if p.index == nil {
		return
	}
	for ; p.next < p.places; p.next++ {
		for _, h := range p.held[p.next] {
			p.emit(h)
		}
	}
	for _, r := range p.unknown {
		p.emit(r)
	}
	p.index, p.held, p.unknown = nil, nil, nil
}

// emit prints one result.
func (p *printer) emit(r result) {
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
			fmt.Fprintf(p.stdout, "%s\n", r.jsonLine(p.out.fields...))
		case p.out.quiet:
			if v := p.quiet(r); v != "" && r.Status != statusFailed {
				fmt.Fprintln(p.stdout, text.Sanitize(v))
			}
		default:
			p.rows = append(p.rows, r)
			if len(p.rows) >= tableBlock {
				p.table()
			}
		}
	})
}

// flush writes the table and returns errPartial when something failed
// (an exit status 3 error when a key or secret was the reason).
func (p *printer) flush() error {
	p.release()
	p.table()
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

// table writes the rows held, lined up, with the header before the first.
func (p *printer) table() {
	if len(p.rows) == 0 {
		return
	}
	tw := tabwriter.NewWriter(p.stdout, 0, 4, 2, ' ', 0)
	if !p.header {
		p.header = true
		p.reasons = slices.ContainsFunc(p.rows, func(r result) bool { return r.Reason != "" })
		if p.ledgerCols {
			fmt.Fprint(tw, "STATUS\tHANDLE\tSIZE\tTYPE\tUPLOADED\tSHA-256\tNAME")
		} else {
			fmt.Fprint(tw, "STATUS\tHANDLE\tSIZE\tTYPE\tNAME")
		}
		if p.reasons {
			fmt.Fprint(tw, "\tREASON")
		}
		fmt.Fprintln(tw)
	}
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
		extra := ""
		if p.ledgerCols {
			extra = uploadedCell(r.Uploaded) + "\t" + orDash(r.SHA256[:min(len(r.SHA256), 12)]) + "\t"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s%s", text.Sanitize(r.Status), orDash(text.Sanitize(r.Handle)), size, orDash(text.Sanitize(r.Type)),
			extra, text.Sanitize(name))
		if p.reasons || r.Reason != "" {
			// (A reason in a later block of a long table whose first
			// had none still shows, in a column without a header.)
			fmt.Fprintf(tw, "\t%s", orDash(text.Sanitize(r.Reason)))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	clear(p.rows)
	p.rows = p.rows[:0]
}

// uploadedCell is an upload time (RFC 3339) in the table: local time to
// the minute, "-" when unknown.
func uploadedCell(v string) string {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
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
