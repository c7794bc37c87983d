package tui

import (
	"errors"
	"strconv"
)

var errNoEngine = errors.New("uploads are not configured: run `headshot setup` or `headshot demo`")

func itoa(n int) string { return strconv.Itoa(n) }
