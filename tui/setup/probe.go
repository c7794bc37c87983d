package setup

import (
	"context"
	"errors"

	"headshot/upload"
)

// ProbePerson is the person key the connection test looks up: an address
// no platform can hold, so "not found" proves the lookup works.
const ProbePerson = "headshot-connection-test@example.invalid"

// LookupError is a test connection whose sign-in worked but whose person
// lookup failed (e.g. the app lacks the scope to read users).
type LookupError struct{ Err error }

func (e *LookupError) Error() string { return "person lookup: " + e.Err.Error() }
func (e *LookupError) Unwrap() error { return e.Err }

// TestConnection proves a client can work: Check (sign in and one harmless
// read), then one person lookup, which must find nobody. Errors are the
// client's *upload.Error, the lookup's wrapped in *LookupError.
func TestConnection(ctx context.Context, cl upload.Client) error {
	if err := cl.Check(ctx); err != nil {
		return err
	}
	_, err := cl.Resolve(ctx, ProbePerson)
	if err == nil || upload.ClassOf(err) == upload.ClassNotFound {
		return nil
	}
	return &LookupError{Err: err}
}

// Describe is what a client that passed the test says about how it will
// address people ("" when it says nothing), shown after the result.
func Describe(cl upload.Client) string {
	if d, ok := cl.(upload.Describer); ok {
		return d.Describe()
	}
	return ""
}

// isLookup reports whether err came from the person lookup.
func isLookup(err error) (error, bool) {
	var le *LookupError
	if errors.As(err, &le) {
		return le.Err, true
	}
	return err, false
}
