package hosts

import (
	"fmt"
	"io"
	"mime/multipart"
	"strings"
)

// FormFile is multipart.Writer.CreateFormFile with a file name every
// server's header parser takes: a control character, which a file system
// allows in a name but an HTTP header does not (Go's own parser, like
// many, drops such a part, and the service then says the upload had no
// file), is percent-encoded, as browsers encode CR and LF in a form's
// file names (the WHATWG multipart/form-data encoding). The upload goes
// through under a name that still shows what it was; other bytes,
// non-ASCII included, are sent as they are.
func FormFile(mw *multipart.Writer, field, filename string) (io.Writer, error) {
	return mw.CreateFormFile(field, headerSafeName(filename))
}

// headerSafeName percent-encodes the control bytes of name (C0 and DEL;
// UTF-8 never uses them inside a multi-byte character).
func headerSafeName(name string) string {
	if !strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
