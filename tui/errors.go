package tui

import "errors"

var errNoEngine = errors.New("uploads are not configured: run `headshot setup` or `headshot demo`")
