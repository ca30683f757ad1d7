package session

import "fmt"

// UsageError is a mistake on the command line or in the environment (an
// address that is not host:port, an unknown target, a malformed
// FSDECK_ENDPOINT): the commands exit with their usage status for it.
type UsageError struct{ err error }

func (e *UsageError) Error() string { return e.err.Error() }
func (e *UsageError) Unwrap() error { return e.err }

func usageError(format string, a ...any) error {
	return &UsageError{err: fmt.Errorf(format, a...)}
}

// or is a, else b.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
