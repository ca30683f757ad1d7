package cli

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// resumeOptions are `fsdeck resume`'s flags.
type resumeOptions struct {
	IO                *iostreams.IOStreams
	factory           *Factory
	Refs              []string
	conn              connFlags
	out               outFlags
	all, abandon, yes bool
}

// newCmdResume is `fsdeck resume`: the journal's unfinished transfers,
// listed, finished or abandoned.
func newCmdResume(f *Factory, runF func(context.Context, *resumeOptions) error) *cobra.Command {
	opts := &resumeOptions{IO: f.IOStreams, factory: f}
	cmd := &cobra.Command{
		Use:   "resume [ID|FILE…]",
		Short: "List, finish or abandon interrupted uploads and downloads (the journal)",
		Long: `With no argument, list the uploads and downloads the journal keeps
unfinished (interrupted by Ctrl-C, a crash, a lost connection, or left in the
interface): id, kind, bytes the server (or the partial file) has, when it
was last active, the target and the local file. Give ids (u3, d1) or files
to finish those, or --all to finish every one: an upload sends only the
parts the server lacks, a download continues its partial file.

--abandon gives them up instead: the journal forgets them and a download's
partial file is removed. It asks first unless --yes (and refuses without a
terminal). Filestack's Upload API has no call to abort an upload, so the
parts already sent stay on the server until it expires the session (fsdeck
serve: --session-ttl, 24h by default); stderr says so.

The journal is per target, endpoint and key: --to, --local and --addr
choose which one, as for upload.`,
		Example: `  fsdeck resume
  fsdeck resume --json | jq -r 'select(.kind == "upload") .path'
  fsdeck resume --all
  fsdeck resume u3 ./big.iso
  fsdeck resume --abandon --all --yes`,
		RunE: runE(opts, func(args []string) { opts.Refs = args }, runF, runResume),
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, "ids (listing) or handles")
	fl := cmd.Flags()
	fl.BoolVar(&opts.all, "all", false, "finish (or with --abandon, give up) every unfinished transfer")
	fl.BoolVar(&opts.abandon, "abandon", false, "give up the transfers named (or --all): forget them and remove partial downloads")
	fl.BoolVarP(&opts.yes, "yes", "y", false, "do not ask before abandoning")
	return cmd
}

// statusAbandoned: a journaled transfer given up (resume --abandon).
const statusAbandoned = "abandoned"

// journaled is one unfinished transfer as resume lists it (a --json line).
type journaled struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"` // upload or download
	Path      string `json:"path"`
	PathBytes string `json:"path_bytes,omitempty"`
	Target    string `json:"target"`
	Handle    string `json:"handle"`
	Size      int64  `json:"size"`
	Done      int64  `json:"done"`
	Started   string `json:"started"`
	Updated   string `json:"updated"`
	AgeS      int64  `json:"age_s"`
	job       transfer.JournalJob
	updated   time.Time
}

func runResume(ctx context.Context, o *resumeOptions) error {
	io := o.IO
	switch {
	case o.all && len(o.Refs) > 0:
		return usageError("resume: give ids or files, or --all, not both")
	case o.abandon && !o.all && len(o.Refs) == 0:
		return usageError("resume --abandon: name the transfers to give up (ids or files, see `fsdeck resume`), or --all")
	case o.abandon && !o.yes && !io.IsStdinTTY():
		return usageError("resume --abandon: standard input is not a terminal, so there is no one to ask; add --yes to abandon")
	}
	s, err := openSession(o.factory, o.conn)
	if err != nil {
		return err
	}
	defer s.close()
	eng := s.Engine(context.Background(), s.Target, sess.EngineOptions{})
	defer eng.Shutdown(5 * time.Second)
	jobs, err := eng.Unfinished(ctx)
	if err != nil {
		return fmt.Errorf("reading the journal: %w", err)
	}
	list := make([]journaled, len(jobs))
	for i, j := range jobs {
		list[i] = describeJournaled(s, j)
	}
	if !o.all && len(o.Refs) == 0 {
		return printJournaled(io, o.out, list, s.Target.Info.Name)
	}
	chosen := list
	if !o.all {
		if chosen, err = pickJournaled(o.factory, list, o.Refs); err != nil {
			return err
		}
	}
	if len(chosen) == 0 {
		fmt.Fprintf(io.ErrOut, "fsdeck: nothing to do: the journal keeps no unfinished upload or download for %s\n", s.Target.Info.Name)
		return nil
	}
	p := s.printer(o.out, io, nil)
	if o.abandon {
		return abandonJournaled(ctx, s, eng, io, p, chosen, o.yes)
	}
	return finishJournaled(ctx, s, eng, io, p, chosen)
}

// describeJournaled is a journal entry as resume shows it: what is done
// comes from the upload's session (the parts the server acknowledged) or
// the download's partial file.
func describeJournaled(s *session, j transfer.JournalJob) journaled {
	v := journaled{Path: j.LocalPath, Target: s.Target.Info.Name, Handle: j.Handle, Size: j.Size, job: j,
		updated: or(j.Updated, j.Created)}
	if j.Dir == transfer.Download {
		v.ID, v.Kind = "d"+strconv.FormatInt(j.ID, 10), "download"
		if info, err := os.Stat(j.Partial); err == nil {
			v.Done = info.Size()
		}
	} else {
		v.ID, v.Kind = "u"+strconv.FormatInt(j.ID, 10), "upload"
		if pu, ok := s.Target.Service.(hosts.PartUploader); ok && j.Session != "" {
			if hs, err := pu.ReadSession(j.Session); err == nil {
				for _, d := range hs.Done {
					v.Done += d.Size
				}
			}
		}
	}
	if !j.Created.IsZero() {
		v.Started = j.Created.UTC().Format(time.RFC3339)
	}
	if !v.updated.IsZero() {
		v.Updated = v.updated.UTC().Format(time.RFC3339)
		v.AgeS = int64(time.Since(v.updated) / time.Second)
	}
	return v
}

// printJournaled lists the unfinished transfers: a table, JSON Lines or
// ids (--quiet).
func printJournaled(io *iostreams.IOStreams, out outFlags, list []journaled, target string) error {
	switch {
	case out.json:
		for _, v := range list {
			if !utf8.ValidString(v.Path) {
				v.PathBytes = base64.StdEncoding.EncodeToString([]byte(v.Path))
			}
			b, _ := json.Marshal(v)
			fmt.Fprintf(io.Out, "%s\n", b)
		}
	case out.quiet:
		for _, v := range list {
			fmt.Fprintln(io.Out, v.ID)
		}
	case len(list) == 0:
		fmt.Fprintf(io.ErrOut, "fsdeck: the journal keeps no unfinished upload or download for %s\n", target)
	default:
		tw := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tDONE\tLAST ACTIVE\tTARGET\tFILE")
		for _, v := range list {
			age := "-"
			if !v.updated.IsZero() {
				age = humanize.Time(v.updated)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s / %s (%s)\t%s\t%s\t%s\n", v.ID, v.Kind, humanize.IBytes(uint64(max(v.Done, 0))),
				humanize.IBytes(uint64(max(v.Size, 0))), strings.TrimSpace(percent(v.Done, v.Size)), age, text.Sanitize(v.Target), text.Sanitize(v.Path))
		}
		tw.Flush()
	}
	return nil
}

// pickJournaled finds each reference (an id as listed, or a file, made
// absolute as upload and get journal it); one that names nothing is a
// usage error before anything is done.
func pickJournaled(f *Factory, list []journaled, refs []string) ([]journaled, error) {
	var out []journaled
	seen := map[string]bool{}
	for _, ref := range refs {
		found := false
		for _, v := range list {
			if v.ID == strings.ToLower(ref) || v.Path == f.Abs(ref) {
				found = true
				if !seen[v.ID] {
					seen[v.ID] = true
					out = append(out, v)
				}
			}
		}
		if !found {
			return nil, usageError("resume: no unfinished transfer %s in the journal (`fsdeck resume` lists them)", text.Sanitize(strconv.Quote(ref)))
		}
	}
	return out, nil
}

// finishJournaled resumes the chosen transfers and prints a result for
// each, as upload and get do.
func finishJournaled(ctx context.Context, s *session, eng *transfer.Engine, io *iostreams.IOStreams, p *printer, chosen []journaled) error {
	jobs := make([]transfer.JournalJob, len(chosen))
	downloads := false
	for i, v := range chosen {
		jobs[i] = v.job
		downloads = downloads || v.job.Dir == transfer.Download
	}
	g, err := eng.ResumeJobs("resume", jobs)
	if err != nil {
		return err
	}
	w := &watcher{eng: eng, groups: map[transfer.GroupID]bool{g: true}, printer: p, session: s, io: io,
		resumed: resumedPaths(jobs), downloads: downloads}
	w.result = func(j transfer.JobSnapshot) result {
		if j.Dir != transfer.Download {
			return w.uploadResult(j)
		}
		r := downloadResult(s, j, j.LocalPath, false)
		if r.Status == statusSaved {
			r.Status = statusResumed
		}
		return r
	}
	if err := w.wait(ctx); err != nil {
		return err
	}
	return p.flush()
}

// abandonJournaled asks (unless yes), then forgets each chosen transfer
// and removes a download's partial file. Uploads' parts stay on the
// server, which the Upload API gives no way to abort: stderr says so.
func abandonJournaled(ctx context.Context, s *session, eng *transfer.Engine, io *iostreams.IOStreams, p *printer, chosen []journaled, yes bool) error {
	if !yes {
		fmt.Fprintf(io.ErrOut, "Abandon %s? The journal forgets %s; partial downloads are removed.\n",
			text.CountOf(len(chosen), "unfinished transfer"), itThey(len(chosen), "it", "them"))
		for i, v := range chosen {
			if i == maxNamed {
				fmt.Fprintf(io.ErrOut, "  and %d more\n", len(chosen)-maxNamed)
				break
			}
			fmt.Fprintf(io.ErrOut, "  %s %s %s\n", v.ID, v.Kind, text.Sanitize(v.Path))
		}
		fmt.Fprint(io.ErrOut, "[y/N] ")
		line, _ := bufio.NewReader(io.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			return errors.New("nothing abandoned")
		}
	}
	uploads := 0
	for _, v := range chosen {
		r := result{Path: v.Path, Handle: v.Handle, Size: v.Size, Status: statusAbandoned}
		if err := eng.DiscardJobs(ctx, []transfer.JournalJob{v.job}); err != nil {
			r.Status, r.Error = statusFailed, err.Error()
		} else if v.Kind == "upload" && v.job.Session != "" {
			uploads++
		}
		p.add(r)
	}
	err := p.flush()
	if uploads > 0 {
		fmt.Fprintf(io.ErrOut, "fsdeck: %s no longer journaled; %s cannot release %s on the server (its Upload API has no call to abort an upload): "+
			"the parts sent stay there until the server expires the upload session (fsdeck serve: --session-ttl, 24h by default)\n",
			text.CountOf(uploads, "upload"), s.Target.Info.Title, itThey(uploads, "it", "them"))
	}
	return err
}
