package sandbox

type rhombusState struct{}
