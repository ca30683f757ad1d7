package cli

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/iostreams"
)

// A command's RunE (runE) records its arguments in its options and stops
// at a test's runF with what was parsed, cobra's context included; the
// command's own run is not reached.
func TestRunEStopsAtRunF(t *testing.T) {
	f := &Factory{IOStreams: iostreams.New(nil, nil, nil), Getenv: func(string) string { return "" }}
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "mine")
	var got *urlOptions
	cmd := newCmdURL(f, func(c context.Context, o *urlOptions) error {
		if c.Value(key{}) != "mine" {
			t.Error("runF was not given the command's context")
		}
		got = o
		return nil
	})
	cmd.SetArgs([]string{"AbCdEf", "--as", "markdown"})
	if err := cmd.ExecuteContext(ctx); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Handle != "AbCdEf" {
		t.Fatalf("runF got %+v, want Handle AbCdEf", got)
	}
	var gotGet *getOptions
	get := newCmdGet(f, func(_ context.Context, o *getOptions) error { gotGet = o; return nil })
	get.SetArgs([]string{"h1", "h2"})
	if err := get.Execute(); err != nil {
		t.Fatal(err)
	}
	if gotGet == nil || !slices.Equal(gotGet.Handles, []string{"h1", "h2"}) {
		t.Fatalf("runF got %+v, want Handles [h1 h2]", gotGet)
	}
}

// Without runF, runE runs the command with the arguments recorded and
// returns its error; with nil for args it records nothing.
func TestRunERunsTheCommand(t *testing.T) {
	var opts struct{ args []string }
	boom := errors.New("boom")
	var ran bool
	run := func(_ context.Context, o *struct{ args []string }) error {
		ran = slices.Equal(o.args, []string{"a", "b"})
		return boom
	}
	cmd := &cobra.Command{Use: "x", RunE: runE(&opts, func(a []string) { opts.args = a }, nil, run)}
	cmd.SetArgs([]string{"a", "b"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.Execute(); !errors.Is(err, boom) || !ran {
		t.Fatalf("Execute = %v, ran with the arguments %v", err, ran)
	}
	opts.args = nil
	cmd = &cobra.Command{Use: "x", RunE: runE(&opts, nil, nil, func(context.Context, *struct{ args []string }) error { return nil })}
	cmd.SetArgs([]string{"c"})
	if err := cmd.Execute(); err != nil || opts.args != nil {
		t.Fatalf("Execute = %v, args %v: want nil and none recorded", err, opts.args)
	}
}
