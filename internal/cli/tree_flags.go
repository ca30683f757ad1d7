package cli

import (
	"fmt"
	"iter"
	"math"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// treeFlags choose what a walk of files sends (upload -r, sync): links,
// filters and --dry-run.
type treeFlags struct {
	links            bool
	include, exclude globList
	minSize, maxSize sizeFlag
	dryRun           bool
	filter           *transfer.Filter
}

// register adds the flags; linksUsage is --links's help.
func (tf *treeFlags) register(cmd *cobra.Command, linksUsage string) {
	fl := cmd.Flags()
	fl.BoolVarP(&tf.links, "links", "L", false, linksUsage)
	fl.Var(&tf.include, "include", "send only files matching this glob (rclone's rules; repeatable)")
	fl.Var(&tf.exclude, "exclude", "leave out files matching this glob (rclone's rules; repeatable)")
	fl.Var(&tf.minSize, "min-size", "leave out files smaller than this (512KiB, 1MiB, bytes)")
	fl.Var(&tf.maxSize, "max-size", "leave out files larger than this (512KiB, 1GiB, bytes)")
	fl.BoolVar(&tf.dryRun, "dry-run", false, "print what would be sent and what would be left out, and why; send nothing")
}

// build checks the globs and bounds (exit 2 before anything is sent).
func (tf *treeFlags) build() error {
	if tf.minSize.set && tf.maxSize.set && tf.minSize.n > tf.maxSize.n {
		return usageError("--min-size %s is more than --max-size %s", humanize.IBytes(uint64(tf.minSize.n)), humanize.IBytes(uint64(tf.maxSize.n)))
	}
	f, err := transfer.NewFilter(tf.include, tf.exclude, tf.minSize.bound(), tf.maxSize.bound())
	if err != nil {
		return usageError("%s", text.Sanitize(err.Error()))
	}
	tf.filter = f
	return nil
}

func (tf *treeFlags) linkMode() transfer.Links {
	if tf.links {
		return transfer.FollowLinks
	}
	return transfer.SkipLinks
}

// globList is a repeatable glob flag; a value is one glob, commas and
// all ({jpg,png}).
type globList []string

func (g *globList) String() string { return strings.Join(*g, " ") }

// Type names the value in help ("--include glob").
func (g *globList) Type() string { return "glob" }

func (g *globList) Set(v string) error { *g = append(*g, v); return nil }

// sizeFlag is a size bound: units (512KiB, 1GiB, 2GB) or bytes, as
// --part-size and serve's sizes take; unset, no bound.
type sizeFlag struct {
	n   int64
	set bool
}

func (s *sizeFlag) String() string {
	if !s.set {
		return ""
	}
	return humanize.IBytes(uint64(s.n))
}

// Type names the value in help ("--max-size size").
func (s *sizeFlag) Type() string { return "size" }

func (s *sizeFlag) Set(v string) error {
	n, err := humanize.ParseBytes(v)
	if err != nil || n > math.MaxInt64 {
		return fmt.Errorf("want a size such as 512KiB, 1GiB or a number of bytes")
	}
	s.n, s.set = int64(n), true
	return nil
}

func (s *sizeFlag) bound() int64 {
	if !s.set {
		return -1
	}
	return s.n
}

// Dry-run statuses: what a run would do, with the reason.
const (
	statusWouldStore  = "would-store"
	statusWouldResume = "would-resume"
	statusWouldDelete = "would-delete"
	// statusExcluded: a filter left the file out.
	statusExcluded = "excluded"
)

// dryRunQuiet is what --quiet prints with --dry-run: the paths that
// would be sent.
func dryRunQuiet(r result) string {
	if r.Status == statusWouldStore || r.Status == statusWouldResume {
		return r.Path
	}
	return ""
}

// printDryRun prints what an upload would do: each file it would send or
// resume and why, and each it leaves out and why; it sends nothing.
func printDryRun(p *printer, plan iter.Seq[queueItem], skipExisting bool) error {
	for it := range plan {
		switch {
		case it.early != nil:
			r := *it.early
			if r.Status == statusSkipped && r.Reason == "" {
				r.Reason = "its SHA-256 is in the ledger (--skip-existing)"
			}
			p.add(r)
		case it.file != nil:
			why := []string{}
			if it.why != "" {
				why = append(why, it.why)
			}
			switch {
			case it.restart:
				why = append(why, "starting over: the interrupted upload had other store options")
			case skipExisting:
				why = append(why, "its SHA-256 is not in the ledger")
			case len(why) == 0:
				why = append(why, "a new upload")
			}
			p.add(result{Path: it.file.Path, Size: it.file.Size, Status: statusWouldStore, Reason: strings.Join(why, "; ")})
		case it.resume != nil:
			p.add(result{Path: it.resume.LocalPath, Size: it.resume.Size, Status: statusWouldResume,
				Reason: "an interrupted upload, journaled: only the parts the server lacks are sent"})
		}
	}
	return p.flush()
}
