package builtin

import (
	"net/http"
	"testing"

	"github.com/fsdeck/fsdeck/hosts"
)

// Every registered target must be complete: buildable from a key and
// shipping an emulator, since local mode relies on both.
func TestEveryTargetIsComplete(t *testing.T) {
	r := Registry()
	for _, name := range r.Names() {
		in, _ := r.Info(name)
		if in.Title == "" || in.DefaultURL == "" || in.KeyHelp == "" || in.Emulator == nil {
			t.Errorf("%s: incomplete Info %+v", name, in)
			continue
		}
		tg, err := r.New(name, hosts.Config{Key: "k"})
		if err != nil || tg.Name() != name {
			t.Errorf("%s: New = %v, %v", name, tg, err)
		}
		var _ http.Handler = in.Emulator("/"+name, []string{"k"})
	}
}
