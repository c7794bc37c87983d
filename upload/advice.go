package upload

// Advisor is a Client with advice about its own settings that is not an
// error: the request works, but something should change (a key file other
// users can read). doctor shows it as a warning.
type Advisor interface {
	Advice() []string
}
