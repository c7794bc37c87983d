package sandbox

// The banner names platforms by their registered titles.
import _ "headshot/upload/all"
