package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// uploadOptions are `fsdeck upload`'s flags.
type uploadOptions struct {
	IO                                        *iostreams.IOStreams
	factory                                   *Factory
	Paths                                     []string
	conn                                      connFlags
	out                                       outFlags
	recursive, nul, intelligent, skipExisting bool
	tree                                      treeFlags
	storePath, location, container, region    string
	access, partSize                          string
	concurrency                               int
	concurrencySet                            bool
	host                                      hostUploadFlags
	// watch is --watch DIR (upload_watchdir.go), settle how long a file
	// must stay unchanged there, copy --copy.
	watch, settle string
	copy          bool
	// stdinName, when set, uploads standard input under this name.
	stdinName string
}

// newCmdUpload is `fsdeck upload`.
func newCmdUpload(f *Factory, runF func(context.Context, *uploadOptions) error) *cobra.Command {
	opts := &uploadOptions{IO: f.IOStreams, factory: f}
	cmd := &cobra.Command{
		Use:   "upload PATH… | - | --watch DIR | --stdin-name NAME",
		Short: "Upload files and directories (journaled: the same command resumes an interrupted upload)",
		Long: `Upload files, and directories with -r. "-" reads paths from standard
input, one per line (NUL-separated with -0). Uploads are journaled: after an
interruption (Ctrl-C, a lost connection) the same command sends only the
parts the server lacks, and so does the interface's transfer list.
--stdin-name NAME uploads the contents of standard input instead (a pipe),
streamed as it is read, without a temporary file; it cannot be resumed.

Results go to stdout (a table, --json lines or --quiet handles); progress
goes to stderr only when it is a terminal.

--watch DIR keeps watching DIR and uploads each file that appears there
once it is complete (unchanged for --settle), printing each URL as it
lands; --copy puts the newest on the clipboard.`,
		Example: `  fsdeck upload photo.jpg
  fsdeck upload -r ./site --store-path site/
  find . -name '*.png' -print0 | fsdeck upload - -0 --json | jq -r .url
  fsdeck upload --watch ~/Pictures/Screenshots --to gyazo --copy
  tar -czf - ./site | fsdeck upload --stdin-name site.tar.gz`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.watch != "" {
				if len(args) > 0 {
					return usageError("--watch DIR uploads what appears in DIR and takes no PATH (got %q)", args[0])
				}
				return nil
			}
			if opts.copy {
				return usageError("--copy goes with --watch (for one file: fsdeck url HANDLE --copy)")
			}
			if cmd.Flags().Changed("stdin-name") {
				return nil // checked with the other flags
			}
			return minArgs(1, "at least one PATH (or - to read paths from stdin)")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			opts.concurrencySet = cmd.Flags().Changed("concurrency")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.watch != "" {
				return runWatch(cmd.Context(), opts)
			}
			if cmd.Flags().Changed("stdin-name") {
				return runUploadStdin(cmd.Context(), opts)
			}
			return runUpload(cmd.Context(), opts)
		},
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, "handles")
	fl := cmd.Flags()
	fl.BoolVarP(&opts.recursive, "recursive", "r", false, "upload directories with every file below them")
	fl.StringVar(&opts.watch, "watch", "", "keep watching DIR and upload each file that appears (or changes) there once complete; Ctrl-C stops")
	fl.StringVar(&opts.settle, "settle", "1s", "with --watch: a file is complete when unchanged (size, time) for this long")
	fl.BoolVar(&opts.copy, "copy", false, "with --watch: put the newest URL on the clipboard (stderr says where it went)")
	fl.BoolVarP(&opts.nul, "null", "0", false, "paths on stdin are separated by NUL, not newline (find -print0)")
	fl.StringVar(&opts.storePath, "store-path", "", "store path prefix (a trailing / keeps names; default from config.toml)")
	fl.StringVar(&opts.location, "location", "", "storage location: s3, gcs, azure, dropbox, rackspace (default from config.toml)")
	fl.StringVar(&opts.container, "container", "", "bucket or container")
	fl.StringVar(&opts.region, "region", "", "storage region")
	fl.StringVar(&opts.access, "access", "", "public or private")
	fl.BoolVar(&opts.intelligent, "intelligent", false, "use intelligent ingestion (when the app has it)")
	fl.IntVar(&opts.concurrency, "concurrency", 0, "files uploaded at once, 1 to 64 (default from config.toml)")
	fl.StringVar(&opts.partSize, "part-size", "", "multipart part size, at least 5MiB (default from config.toml)")
	fl.BoolVar(&opts.skipExisting, "skip-existing", false, "skip files whose SHA-256 is already in the ledger")
	fl.StringVar(&opts.host.expiry, "expiry", "", "hosting targets: delete after this long, e.g. 1h, 2d, 1w (as the target offers)")
	fl.StringVar(&opts.host.privacy, "privacy", "", "hosting targets: public, unlisted or private (as the target offers)")
	opts.tree.register(cmd, "with -r, follow symbolic links (without it they are skipped, each with a notice)")
	fl.StringVar(&opts.stdinName, "stdin-name", "", "upload standard input (a pipe) as a file of this name, streamed without a temporary file")
	return cmd
}

func runUpload(ctx context.Context, f *uploadOptions) error {
	args, io := f.Paths, f.IO
	if f.partSize != "" {
		n, err := humanize.ParseBytes(f.partSize)
		if err != nil || n < filestack.MinPartSize {
			return usageError("--part-size %q: give a size of at least 5MiB, such as 8MiB", f.partSize)
		}
		f.conn.partSize = int64(n)
	}
	if err := checkConcurrency(f.concurrency, f.concurrencySet || f.concurrency != 0); err != nil {
		return err
	}
	if err := checkStoreFlags(&f.location, &f.access); err != nil {
		return err
	}
	if err := f.tree.build(); err != nil {
		return err
	}
	paths, err := uploadPaths(args, f.nul, io.In)
	if err != nil {
		return err
	}
	for i, p := range paths {
		paths[i] = f.factory.Abs(p)
	}
	f.conn.store = filestack.StoreOptions{Location: f.location, Container: f.container, Region: f.region, Access: f.access}
	f.conn.intelligent = f.intelligent
	s, err := openSession(f.factory, f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.checkUploadTarget(f); err != nil {
		return err
	}
	eng := s.Engine(context.Background(), s.Target, sess.EngineOptions{UploadOptions: f.host.opts, FileConcurrency: f.concurrency})
	defer eng.Shutdown(5 * time.Second)
	p := s.printer(f.out, io, nil)
	plan, err := planUpload(ctx, s, eng, f, paths)
	if err != nil {
		return err
	}
	if f.tree.dryRun {
		// Skipped files are results then, and nothing starts over.
		return printDryRun(s.printer(f.out, io, dryRunQuiet), plan, f.skipExisting)
	}
	p.setOrder(nil, func(r result) string { return r.Path })
	w := &watcher{eng: eng, printer: p, session: s, io: io, progress: f.conn.net.showProgress}
	if err := runQueue(ctx, w, "upload", plan); err != nil {
		return err
	}
	err = p.flush()
	if ls := s.Conn.Server; ls != nil && ls.Serving() && io.IsStderrTTY() {
		// The URLs just printed point at a server that ends with this
		// command (unless another fsdeck using it takes it over); a
		// person at a terminal should not find them dead.
		if ls.OthersUse() {
			fmt.Fprintf(io.ErrOut, "fsdeck: local mode: the built-in server at %s passes to another fsdeck still using it; its URLs answer whenever fsdeck runs there (`fsdeck serve` keeps them up)\n", ls.Base())
		} else {
			fmt.Fprintf(io.ErrOut, "fsdeck: local mode: the built-in server at %s stopped with this command; its URLs answer whenever fsdeck runs there (`fsdeck serve` keeps them up)\n", ls.Base())
		}
	}
	return err
}

// or is v unless it is the zero value, else def.
func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// uploadPaths reads the paths: the arguments, with "-" standing for the
// lines (or NUL-separated names) of stdin.
func uploadPaths(args []string, nul bool, stdin io.Reader) ([]string, error) {
	var out []string
	readStdin := false
	for _, a := range args {
		if a != "-" {
			out = append(out, a)
			continue
		}
		if readStdin {
			continue // stdin has been read once already
		}
		readStdin = true
		sep := byte('\n')
		if nul {
			sep = 0
		}
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sc.Split(splitOn(sep))
		for sc.Scan() {
			line := sc.Text()
			if !nul {
				line = string(bytes.TrimSuffix([]byte(line), []byte("\r")))
			}
			if line != "" {
				out = append(out, line)
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("reading paths from stdin: %w", err)
		}
	}
	if len(out) == 0 {
		return nil, usageError("no paths to upload (stdin had none)")
	}
	return out, nil
}

// splitOn splits at sep, keeping a last field without it.
func splitOn(sep byte) bufio.SplitFunc {
	return func(data []byte, atEOF bool) (int, []byte, error) {
		if i := bytes.IndexByte(data, sep); i >= 0 {
			return i + 1, data[:i], nil
		}
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	}
}

func resumedPaths(jobs []transfer.JournalJob) map[string]bool {
	m := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		m[j.LocalPath] = true
	}
	return m
}

// absPath is p made absolute, so that the journal and the ledger name the
// same file whichever directory the command (or the interface) ran in.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
