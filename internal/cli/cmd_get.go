package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
)

type getOptions struct {
	IO            *iostreams.IOStreams
	factory       *Factory
	Handles       []string
	conn          connFlags
	out           outFlags
	output        string
	stdout, force bool
	skipExisting  bool
}

// newCmdGet is `fsdeck get`.
func newCmdGet(f *Factory, runF func(context.Context, *getOptions) error) *cobra.Command {
	opts := &getOptions{IO: f.IOStreams, factory: f}
	cmd := &cobra.Command{
		Use:   "get HANDLE…",
		Short: "Download files (never overwriting without --force)",
		Long: `Download files by handle or URL into the current directory, or into -o
(a directory, or a file name for one handle). An existing file is never
overwritten without --force. --stdout (or -o -) writes the content to
standard output.`,
		Args:              minArgs(1, "at least one HANDLE"),
		ValidArgsFunction: completeHandles(f),
		RunE:              runE(opts, func(args []string) { opts.Handles = args }, runF, runGet),
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, "saved paths")
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "directory to save into, the file name for one handle, or - for standard output")
	cmd.Flags().BoolVar(&opts.stdout, "stdout", false, "write the content to standard output")
	cmd.Flags().BoolVar(&opts.force, "force", false, "overwrite an existing file")
	cmd.Flags().BoolVar(&opts.skipExisting, "skip-existing", false, "skip a file already saved with the server's content (size and SHA-256)")
	cmd.MarkFlagsMutuallyExclusive("stdout", "output")
	return cmd
}

func runGet(ctx context.Context, f *getOptions) error {
	args, io := f.Handles, f.IO
	if f.output == "-" {
		// As for transform -o - and curl -o -: standard output, not a
		// file named "-" (./- saves one).
		if len(args) != 1 {
			return usageError("-o - (standard output) takes exactly one HANDLE")
		}
		f.stdout, f.output = true, ""
	}
	if f.stdout && len(args) != 1 {
		return usageError("--stdout takes exactly one HANDLE")
	}
	var dir, name string
	if !f.stdout {
		// Before the session: a wrong -o is known without the server.
		var err error
		if dir, name, err = getTarget(f.factory.WorkDir, f.output, len(args)); err != nil {
			return err
		}
	}
	s, err := openSession(f.factory, f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	rd, ranged := s.Target.Service.(hosts.RangeDownloader)
	ranged = ranged && s.Target.Caps().RangeDownload
	if f.stdout {
		h, ok := s.parseRef(ctx, args[0])
		if !ok {
			return notRef(s.Target, args[0])
		}
		if !ranged {
			if _, _, err := urlGet(ctx, s, h, io.Out); err != nil {
				return fmt.Errorf("%s: %w", h, err)
			}
			return nil
		}
		if _, err := rd.DownloadRange(ctx, h, io.Out, hosts.RangeOptions{}); err != nil {
			return fmt.Errorf("%s: %w", h, fileError(ctx, s, h, err))
		}
		return nil
	}
	if !ranged {
		return getByURL(ctx, s, f, args, dir, name)
	}
	p := s.printer(f.out, io, func(r result) string { return r.Path })
	eng := s.Engine(context.Background(), s.Target, sess.EngineOptions{})
	defer eng.Shutdown(5 * time.Second)
	journal, err := journaledDownloads(ctx, eng)
	if err != nil {
		return err
	}
	var files []transfer.RemoteFile
	var resume []transfer.JournalJob
	dest := map[string]string{}  // handle → wanted path
	types := map[string]string{} // handle → MIME type the server gave
	names := map[string]string{} // handle → the server's file name
	p.setOrder(nil, func(r result) string { return r.Handle })
	for _, a := range args {
		rf, r, ok := getPlan(ctx, s, a, dir, name, f.force, f.skipExisting)
		p.expect(r.Handle)
		if !ok {
			p.add(r)
			continue
		}
		want := filepath.Join(dir, text.SafeLocalName(rf.Filename, rf.Handle))
		if base := filepath.Base(want); rf.Filename != "" && base != rf.Filename {
			// Said, not done silently: a script looking for the server's
			// name would not find the file.
			fmt.Fprintf(io.ErrOut, "fsdeck: %s: the name %s holds characters a file name cannot (on every system fsdeck runs on); saving as %s\n",
				rf.Handle, text.SanitizeLines(strconv.Quote(rf.Filename)), text.SanitizeLines(strconv.Quote(base)))
		}
		dest[rf.Handle], types[rf.Handle], names[rf.Handle] = want, r.Type, r.Filename
		if jj, ok := journal[want]; ok && jj.Handle == rf.Handle {
			resume = append(resume, jj)
			continue
		}
		files = append(files, rf)
	}
	groups, err := queueDownloads(eng, dir, files, resume, io)
	if err != nil || len(groups) == 0 {
		return errors.Join(err, p.flush())
	}
	resumed := resumedPaths(resume)
	w := &watcher{eng: eng, groups: groups, printer: p, session: s, io: io, downloads: true, progress: f.conn.net.showProgress,
		result: func(j transfer.JobSnapshot) result {
			r := downloadResult(s, j, dest[j.Handle], f.force)
			r.Type, r.Filename = types[j.Handle], names[j.Handle]
			if r.Status == statusSaved && resumed[j.LocalPath] {
				r.Status = statusResumed
			}
			return r
		}}
	if err := w.wait(ctx); err != nil {
		return err
	}
	return p.flush()
}

// journaledDownloads are the downloads an interrupted run left in the
// journal, by destination path.
func journaledDownloads(ctx context.Context, eng *transfer.Engine) (map[string]transfer.JournalJob, error) {
	unfinished, err := eng.Unfinished(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the download journal: %w", err)
	}
	m := map[string]transfer.JournalJob{}
	for _, j := range unfinished {
		if j.Dir == transfer.Download {
			m[j.LocalPath] = j
		}
	}
	return m, nil
}

// queueDownloads starts the new downloads and continues the journaled
// ones from their partial files, saying so on stderr.
func queueDownloads(eng *transfer.Engine, dir string, files []transfer.RemoteFile, resume []transfer.JournalJob, io *iostreams.IOStreams) (map[transfer.GroupID]bool, error) {
	groups := map[transfer.GroupID]bool{}
	if len(files) > 0 {
		g, err := eng.AddDownloads("get", dir, files)
		if err != nil {
			return nil, err
		}
		groups[g] = true
	}
	if len(resume) > 0 {
		for _, jj := range resume {
			have := int64(0)
			if info, err := os.Stat(jj.Partial); err == nil {
				have = info.Size()
			}
			fmt.Fprintf(io.ErrOut, "fsdeck: continuing the interrupted download of %s from %s of %s\n",
				text.Sanitize(filepath.Base(jj.LocalPath)), humanize.IBytes(uint64(have)), humanize.IBytes(uint64(max(jj.Size, 0))))
		}
		g, err := eng.ResumeJobs("get (resumed)", resume)
		if err != nil {
			return nil, err
		}
		groups[g] = true
	}
	return groups, nil
}

// getTarget reads -o: a directory (existing, or ending in a separator),
// else a file name, allowed for one handle only.
// Relative paths are resolved against workDir ("" for the process's).
func getTarget(workDir, output string, n int) (dir, name string, err error) {
	if output == "" {
		if workDir != "" {
			return workDir, "", nil
		}
		dir, err = os.Getwd()
		return dir, "", err
	}
	p := output
	if workDir != "" && !filepath.IsAbs(p) {
		p = filepath.Join(workDir, p)
	}
	if info, serr := os.Stat(p); (serr == nil && info.IsDir()) || os.IsPathSeparator(output[len(output)-1]) {
		return absPath(p), "", os.MkdirAll(p, 0o755)
	}
	if n != 1 {
		return "", "", usageError("-o %s is not a directory; a file name takes exactly one HANDLE", output)
	}
	dir = filepath.Dir(absPath(p))
	// The directory of a file name is not created (a typo would make
	// one); a missing one is named as such, not as one that vanished.
	if info, serr := os.Stat(dir); serr != nil {
		if os.IsNotExist(serr) {
			return "", "", usageError("-o %s: the directory %s does not exist (create it, or end -o with %c to have get create it)", output, dir, filepath.Separator)
		}
		return "", "", serr
	} else if !info.IsDir() {
		return "", "", usageError("-o %s: %s is not a directory", output, dir)
	}
	return dir, filepath.Base(output), nil
}

// getPlan checks one argument: a handle the server knows, whose
// destination is free (or --force). Planned, its result carries only the
// server's MIME type, for the result line.
func getPlan(ctx context.Context, s *session, arg, dir, name string, force, skip bool) (transfer.RemoteFile, result, bool) {
	h, ok := s.parseRef(ctx, arg)
	if !ok {
		return transfer.RemoteFile{}, result{Handle: arg, Status: statusFailed, Error: "not a " + refWhat(s.Target)}, false
	}
	var md hosts.Result
	if st, ok := s.Target.Service.(hosts.Stater); ok && s.Target.Caps().Stat {
		var err error
		if md, err = st.Stat(ctx, h); err != nil {
			return transfer.RemoteFile{}, failure(h, fileError(ctx, s, h, err)), false
		}
	}
	// The server's name, for the result (without a Stater, the ledger's).
	server := md.Name
	if server == "" {
		if e, err := s.Ledger.Get(ctx, s.scope(), h); err == nil {
			server = e.Filename
		}
	}
	rf := transfer.RemoteFile{Handle: h, Filename: md.Name, Size: md.Size}
	if name != "" {
		rf.Filename = name
	}
	target := filepath.Join(dir, text.SafeLocalName(rf.Filename, h))
	if r, done := existing(ctx, s, h, target, md.Size, force, skip); done {
		if r.Status == statusSkipped {
			r.Type = md.Mimetype
		}
		r.Filename = server
		return rf, r, false
	}
	return rf, result{Handle: h, Type: md.Mimetype, Filename: server}, true
}

// downloadResult describes a finished download. The engine saves beside
// a taken name; with --force the download then replaces the wanted path.
func downloadResult(s *session, j transfer.JobSnapshot, want string, force bool) result {
	r := result{Handle: j.Handle, Size: j.Size, Path: j.SavedAs, SavedAs: j.SavedAs, URL: s.fileURL(store.Entry{Handle: j.Handle})}
	if j.State != transfer.Done {
		r.Status, r.Error, r.Path, r.SavedAs, r.auth = statusFailed, j.Err, want, "", authFailure(j.Cause)
		r.network = !r.auth && networkFailure(j.Cause)
		if j.State == transfer.Cancelled {
			r.Error = "cancelled"
		}
		return r
	}
	r.Status = statusSaved
	if e, err := s.Ledger.Get(context.Background(), s.scope(), j.Handle); err == nil {
		r = r.withEntry(e)
	}
	if force && j.SavedAs != want {
		if err := os.Rename(j.SavedAs, want); err != nil {
			r.Status, r.Error = statusFailed, fmt.Sprintf("saved as %s, but replacing %s failed: %v", j.SavedAs, want, err)
			return r
		}
		r.Path, r.SavedAs = want, want
	}
	return r
}

// notFoundError words a 404 for h in get and rm. A file the ledger still
// lists is marked gone there (as stat does) and the message says how to
// drop its row, since the server will never have it again.
func notFoundError(ctx context.Context, s *session, h string) error {
	e, lerr := s.Ledger.Get(ctx, s.scope(), h)
	if lerr != nil {
		return errors.New("not found on the server (404)")
	}
	e.Gone, e.RefreshedAt = true, time.Now()
	s.Ledger.Add(ctx, s.scope(), e)
	return errors.New(goneMessage(s, h))
}

// goneMessage says that the server no longer has h, which the ledger
// still lists, and how to drop its row.
func goneMessage(s *session, h string) string {
	to := ""
	if !s.Target.Info.Root {
		to = " --to " + s.Target.Info.Name
	}
	return fmt.Sprintf("gone from the server (404); the ledger still lists it: drop the row with `fsdeck rm%s --forget-only %s`", to, h)
}

func dirOf(p string) string { return filepath.Dir(absPath(p)) }

// urlGet downloads an upload from the URL that serves its bytes (the
// main URL or a raw link), for the targets that download no other way.
func urlGet(ctx context.Context, s *session, id string, w io.Writer) (store.Entry, int64, error) {
	t := s.Target
	e, err := s.Ledger.Get(ctx, s.scope(), id)
	if err != nil {
		return e, 0, fmt.Errorf("not in the %s ledger (fsdeck ls --to %s)", t.Info.Name, t.Info.Name)
	}
	u := hosts.BytesURL(t.Caps(), e.URL, e.Links)
	if u == "" {
		why := "its links are web pages"
		if nb := t.Caps().NoBytes; nb != "" {
			why = nb
		}
		return e, 0, fmt.Errorf("%s serves no URL fsdeck can fetch the bytes from (%s); open %s in a browser", t.Info.Title, why, e.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return e, 0, err
	}
	hc := t.HTTP
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
		return e, 0, fmt.Errorf("%s answered HTTP %d for %s", t.Info.Title, resp.StatusCode, u)
	}
	n, err := io.Copy(w, resp.Body)
	return e, n, err
}

// urlGetFile saves an upload into dir (or as name), never replacing a
// file without force: the bytes go to a temporary file renamed into place.
func urlGetFile(ctx context.Context, s *session, id, dir, name string, force, skip bool) result {
	e, _ := s.Ledger.Get(ctx, s.scope(), id)
	want := filepath.Join(dir, or(name, text.SafeLocalName(e.Filename, text.SafeLocalName(id, "download"))))
	if r, done := existing(ctx, s, id, want, e.Size, force, skip); done {
		return r
	}
	tmp, err := os.CreateTemp(dir, ".fsdeck-download-*")
	if err != nil {
		return failure(id, err)
	}
	defer os.Remove(tmp.Name())
	e, n, gerr := urlGet(ctx, s, id, tmp)
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
	return result{Handle: id, URL: e.URL, Filename: e.Filename, Size: n, Type: e.Mimetype, Path: want, SavedAs: want, Status: statusSaved}
}

// getByURL is get for a target without ranged downloads: each upload
// fetched whole from the URL that serves its bytes.
func getByURL(ctx context.Context, s *session, f *getOptions, args []string, dir, name string) error {
	p := s.printer(f.out, f.IO, func(r result) string { return r.Path })
	for _, a := range args {
		if ctx.Err() != nil {
			p.flush()
			return errInterrupted
		}
		id, ok := s.parseRef(ctx, a)
		if !ok {
			p.add(result{Handle: a, Status: statusFailed, Error: "not a " + refWhat(s.Target)})
			continue
		}
		p.add(urlGetFile(ctx, s, id, dir, name, f.force, f.skipExisting))
	}
	return p.flush()
}
