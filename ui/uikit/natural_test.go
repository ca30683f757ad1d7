package uikit

import (
	"slices"
	"strings"
	"testing"
)

func TestNaturalCompare(t *testing.T) {
	in := []string{"file_10.txt", "file_2.txt", "File_3.txt", "file_1.txt", "a", "A", "file_02.txt", "b10", "b9z", "b9",
		"x99999999999999999999999", "x100000000000000000000000", "é2", "é10", "notes (1).txt", "notes.txt"}
	got := slices.Clone(in)
	slices.SortFunc(got, NaturalCompare)
	want := []string{"A", "a", "b9", "b9z", "b10", "file_1.txt", "file_02.txt", "file_2.txt", "File_3.txt", "file_10.txt",
		"notes (1).txt", "notes.txt", "x99999999999999999999999", "x100000000000000000000000", "é2", "é10"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("natural order:\n got %v\nwant %v", got, want)
	}
	for _, a := range in {
		for _, b := range in {
			if NaturalCompare(a, b) != -NaturalCompare(b, a) || (NaturalCompare(a, b) == 0) != (a == b) {
				t.Fatalf("not a total order at %q, %q", a, b)
			}
		}
	}
}
