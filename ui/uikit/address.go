package uikit

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// CutAddress fits a (sanitised) endpoint to w cells, cutting it cleanly:
// a URL keeps its scheme and host and as much of its path's end as fits,
// whole segments only ("https://cdn.example/…/bucket/dir"); what is still
// too wide keeps its end from a host or path boundary ("…example.com");
// only a single unbroken word is cut inside. Never wider than w.
func CutAddress(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	if i := strings.Index(s, "://"); i > 0 {
		host, path := s, ""
		if j := strings.IndexByte(s[i+3:], '/'); j >= 0 {
			host, path = s[:i+3+j], s[i+3+j:]
		}
		if path != "" && ansi.StringWidth(host)+2 <= w {
			// The longest tail of whole segments after "host/…".
			best := host + "/…"
			for k := 1; k < len(path); k++ {
				if path[k] != '/' {
					continue
				}
				if c := host + "/…" + path[k:]; ansi.StringWidth(c) <= w {
					best = c
					break
				}
			}
			return best
		}
	}
	// The end, from the first boundary that leaves it narrow enough.
	for k := 1; k < len(s); k++ {
		if !strings.ContainsRune("/.: ", rune(s[k-1])) || strings.ContainsRune("/.: ", rune(s[k])) {
			continue
		}
		if ansi.StringWidth(s[k:])+1 <= w {
			return "…" + s[k:]
		}
	}
	return strings.TrimRight(FitLeft(s, w), " ")
}
