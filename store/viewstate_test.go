package store

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestViewStateRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "view.json")
	if _, ok, err := LoadViewState(p); ok || err != nil {
		t.Fatalf("missing file: ok %v err %v", ok, err)
	}
	want := ViewState{ShowHidden: true, Sort: "size", SortDesc: true, Preview: true, RecentDirs: []string{"/b", "/a"}}
	if err := SaveViewState(p, want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := LoadViewState(p)
	if !ok || err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v ok %v err %v", got, ok, err)
	}
}
