package store

import (
	"path/filepath"
	"testing"
)

func TestViewStateRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "view.json")
	if _, ok, err := LoadViewState(p); ok || err != nil {
		t.Fatalf("missing file: ok %v err %v", ok, err)
	}
	want := ViewState{ShowHidden: true, Sort: "size", SortDesc: true}
	if err := SaveViewState(p, want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := LoadViewState(p)
	if !ok || err != nil || got != want {
		t.Fatalf("got %+v ok %v err %v", got, ok, err)
	}
}
