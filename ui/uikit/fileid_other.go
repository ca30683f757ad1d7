//go:build !unix

package uikit

import "os"

// FileIDOf is unknown here: Windows gives a file's index only from an
// open handle, which a listing does not open. Marks there go by path, and
// a file that vanished still loses its mark.
func FileIDOf(os.FileInfo) FileID { return FileID{} }
