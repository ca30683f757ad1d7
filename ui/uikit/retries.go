package uikit

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/text"
)

// RetryMsg is one retry of a network action, shown on the status line
// while the action goes on; next listens for the one after.
type RetryMsg struct {
	What  string
	Retry filestack.Retry
	Next  tea.Cmd
}

// retryBuffer holds retries not yet shown; more are dropped (the latest
// shown is enough to say the action is alive and why it waits).
const retryBuffer = 8

// Watched runs a network action under a retry observer, so that while
// its requests are retried the status line says which attempt failed and
// why, instead of a silent "refreshing…". When the client gives up, the
// action's own result carries the give-up error.
func Watched(what string, work func(ctx context.Context) tea.Msg) tea.Cmd {
	retries := make(chan filestack.Retry, retryBuffer)
	done := make(chan struct{})
	run := func() tea.Msg {
		defer close(done)
		ctx := filestack.WithRetryObserver(context.Background(), func(r filestack.Retry) {
			select {
			case retries <- r:
			default:
			}
		})
		return work(ctx)
	}
	return tea.Batch(run, listenRetries(what, retries, done))
}

// listenRetries waits for the next retry; once the action is over, those
// not yet shown are stale and dropped, so none overwrites the result.
func listenRetries(what string, retries <-chan filestack.Retry, done <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case r := <-retries:
			select {
			case <-done:
				return nil
			default:
			}
			return RetryMsg{What: what, Retry: r, Next: listenRetries(what, retries, done)}
		case <-done:
			return nil
		}
	}
}

// Text is the status line while retrying.
func (m RetryMsg) Text() string {
	return fmt.Sprintf("%s: attempt %d failed (%s), retrying in %s", m.What, m.Retry.Attempt, text.Sanitize(m.Retry.Err.Error()),
		FormatDuration(m.Retry.Wait))
}
