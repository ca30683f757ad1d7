package studio

import (
	"image"
	"strconv"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// The add menu's keys are letters of the tasks' names, never j or k
// (which move the menu's cursor); the rest of the agreement between the
// menu and the field is ui's TestStudioMenuAndFieldAgree.
func TestStudioTaskKeys(t *testing.T) {
	for _, st := range studioTasks {
		if !strings.ContainsRune(strings.ToLower(st.name), []rune(strings.ToLower(st.key))[0]) || st.key == "j" || st.key == "k" {
			t.Errorf("task %s has key %q", st.name, st.key)
		}
	}
}

func TestPreviewCacheBounded(t *testing.T) {
	c := NewCache()
	for i := 0; i < previewCacheMax+5; i++ {
		c.put(&previewState{url: strconv.Itoa(i)})
	}
	c.remove(strconv.Itoa(previewCacheMax + 4))
	c.put(&previewState{url: strconv.Itoa(previewCacheMax + 4)})
	for i := 0; i < previewCacheMax+5; i++ {
		if kept := c.get(strconv.Itoa(i)) != nil; kept != (i >= 5) {
			t.Fatalf("preview %d kept: %v (the oldest 5 of %d go)", i, kept, previewCacheMax+5)
		}
	}
}

// The label says how big the preview is against the image.
func TestScaleText(t *testing.T) {
	big := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	if scaleText(uikit.PreviewScale(big, 50, 40)) != "at 25%" || scaleText(uikit.PreviewScale(big, 300, 60)) != "actual size" {
		t.Fatal(scaleText(uikit.PreviewScale(big, 50, 40)))
	}
}
