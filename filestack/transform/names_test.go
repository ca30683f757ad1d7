package transform

import (
	"strings"
	"testing"
)

func TestPlausibleAPIKey(t *testing.T) {
	for s, want := range map[string]bool{
		"frobnicate": false, "monochrom": false, "resiz": false, "partial_pixelat": false,
		"AhTgLagciQByzXpFGRI0Az": true, "wrongkeyaaaaaaaaaaaaaa": true, "K": true, "key1": true,
		"": false, "a-b": false, "a.b": false,
	} {
		if got := PlausibleAPIKey(s); got != want {
			t.Errorf("PlausibleAPIKey(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestNearestTask(t *testing.T) {
	for name, want := range map[string]string{
		"monochrom": "monochrome", "resiz": "resize", "Resize": "resize", "watermak": "watermark",
		"round_corner": "round_corners", "sharpn": "sharpen", strings.Repeat("a", 41): "",
	} {
		if got := NearestTask(name); got != want {
			t.Errorf("NearestTask(%q) = %q, want %q", name, got, want)
		}
	}
	if got := NearestTask("frobnicate"); got == "" {
		t.Error("no suggestion for frobnicate")
	}
	c, _ := Parse("/KEYKEYKEYKEYKEYKEYKEYK/monochrom=x:1/HANDLE")
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "invalid task `monochrom`; did you mean `monochrome`?") {
		t.Errorf("Validate: %v", err)
	}
	long := strings.Repeat("z", 60000)
	if msg := UnknownTask("invalid", long); strings.Contains(msg, "did you mean") {
		t.Error("a 60 kB name got a suggestion")
	}
}

func TestChainUntil(t *testing.T) {
	c, err := Parse("/KEY1/resize=w:10/store=f:a.png/flip/HANDLE")
	if err != nil {
		t.Fatal(err)
	}
	u := c.Until("store")
	if got := u.Format(); got != "/KEY1/resize=w:10/HANDLE" {
		t.Fatalf("Until(store) = %s", got)
	}
	if len(c.Tasks) != 3 || c.Until("crop").Format() != c.Format() {
		t.Fatal("Until changed the chain or cut without a match")
	}
	u.Tasks = append(u.Tasks, NewTask("flop"))
	if c.Tasks[1].Name != "store" {
		t.Fatal("appending to the cut chain overwrote the original")
	}
}
