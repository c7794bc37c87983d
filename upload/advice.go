package upload

// Advisor is a Client with advice about its own settings that is not an
// error: the request works, but something should change (a key file other
// users can read). doctor shows it as a warning.
type Advisor interface {
	Advice() []string
}

// Describer is a Client that can say in one line how it will address
// people where the documents leave it open (Interact: which username form
// the tenant uses); setup's connection test and doctor show it.
type Describer interface {
	Describe() string
}
