package ui

import (
	"github.com/fsdeck/fsdeck/ui/preview"
	"github.com/fsdeck/fsdeck/ui/studio"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// KittyCleanup is the escape sequence that deletes fsdeck's kitty preview
// images (the studio's and the file preview's), for restoring the terminal on exits that skip the normal quit
// (which deletes it itself).
func KittyCleanup() string {
	return uikit.KittyDelete(studio.KittyImageID) + uikit.KittyDelete(preview.KittyImageID)
}
