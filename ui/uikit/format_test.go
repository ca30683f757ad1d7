package uikit

import (
	"strings"
	"testing"
)

// A long URL of an earlier copy keeps its host and file name.
func TestShortMiddleKeepsBothEnds(t *testing.T) {
	u := "https://i.ibb.co/abcdefghijklmnopqrstuvwxyz0123456789/holiday-photo.png"
	got := ShortMiddle(u, 44)
	if len([]rune(got)) != 44 || !strings.HasPrefix(got, "https://i.ibb.co/") || !strings.HasSuffix(got, "holiday-photo.png") || !strings.Contains(got, "…") {
		t.Fatalf("shortMiddle = %q", got)
	}
	if ShortMiddle("HANDLE", 44) != "HANDLE" {
		t.Fatal("a short handle was cut")
	}
}
