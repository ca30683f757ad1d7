package cli

import (
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newCmdMan writes the man page of the whole command tree.
func newCmdMan(f *Factory, root *cobra.Command) *cobra.Command {
	io := f.IOStreams
	var dir string
	cmd := &cobra.Command{
		Use:   "man",
		Short: "Print fsdeck(1), generated from the command tree (or write every page to --dir)",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			hdr := &doc.GenManHeader{Title: "FSDECK", Section: "1", Source: "fsdeck " + version, Manual: "fsdeck manual"}
			// A fixed date keeps the page reproducible between builds.
			t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			hdr.Date = &t
			root.DisableAutoGenTag = true
			defer addManSections(root)()
			if dir != "" {
				dir := f.Abs(dir)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
				return doc.GenManTree(root, hdr, dir)
			}
			return doc.GenMan(root, hdr, io.Out)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "write one page per command (fsdeck.1, fsdeck-upload.1, …) into this directory")
	return cmd
}
