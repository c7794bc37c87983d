package tui

import "headshot/tui/common"

// newBrowse builds the browser screen.
func newBrowse(c common.Common, opts Options) common.Component {
	return common.NewPlaceholder(c, "browser: coming")
}

// newCorrect builds the correct screen.
func newCorrect(c common.Common, opts Options) common.Component {
	return common.NewPlaceholder(c, "correct: coming")
}
