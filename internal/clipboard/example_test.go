package clipboard_test

import (
	"context"
	"fmt"
	"os"

	"github.com/fsdeck/fsdeck/internal/clipboard"
)

// A program copies with the real environment (its user's setting may turn
// native tools off) and shows the report as its status line: a success
// style when OK, a warning when the text was only sent as OSC 52, an error
// when Failed.
func ExampleCopy() {
	env := clipboard.System(os.Getenv)
	env.NoTools = false
	r := clipboard.Copy(context.Background(), "https://cdn.filestackcontent.com/HANDLE", os.Stdout, env)
	switch {
	case r.OK():
		fmt.Println("ok:", r)
	case r.Failed():
		fmt.Println("error:", r)
	default:
		fmt.Println("warning:", r)
	}
}
