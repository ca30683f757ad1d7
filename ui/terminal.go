package ui

// KittyCleanup is the escape sequence that deletes fsdeck's kitty preview
// image, for restoring the terminal on exits that skip the normal quit
// (which deletes it itself).
func KittyCleanup() string { return kittyDelete(kittyImageID) }
