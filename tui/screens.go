package tui

import (
	"headshot/tui/browse"
	"headshot/tui/common"
	"headshot/tui/correct"
	"headshot/tui/preview"
)

// newBrowse builds the browser screen with its preview pane.
func newBrowse(c common.Common, opts Options) common.Component {
	pv := preview.New(c, opts.preparer(), opts.Prep)
	if opts.Journal != nil {
		pv.UseCorrections(opts.Journal) // show the crop uploads will use
	}
	b := browse.New(c, opts.Dir, opts.Platforms(), opts.Journal, pv)
	b.Focus(opts.Focus)
	return b
}

// newCorrect builds the correct screen.
func newCorrect(c common.Common, opts Options) common.Component {
	pv := preview.New(c, opts.preparer(), opts.Prep)
	return correct.New(c, opts.Platforms(), opts.Journal, pv)
}
