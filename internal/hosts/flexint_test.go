package hosts

import (
	"encoding/json"
	"testing"
)

// A FlexInt reads a bare or quoted number, null and "" as 0, and refuses
// what is not a whole number.
func TestFlexInt(t *testing.T) {
	for in, want := range map[string]int64{`42`: 42, `"42"`: 42, `null`: 0, `""`: 0, `-7`: -7, `"9000000000"`: 9000000000} {
		var v struct{ N FlexInt }
		if err := json.Unmarshal([]byte(`{"N":`+in+`}`), &v); err != nil || int64(v.N) != want {
			t.Errorf("%s: %d, %v; want %d", in, v.N, err, want)
		}
	}
	for _, in := range []string{`"4x"`, `1.5`, `"abc"`} {
		var v struct{ N FlexInt }
		if err := json.Unmarshal([]byte(`{"N":`+in+`}`), &v); err == nil {
			t.Errorf("%s: read as %d, want an error", in, v.N)
		}
	}
}
