package engine

import (
	"context"

	"headshot/imageprep"
)

// defaultPrepare is used when Config.Prepare is nil.
func defaultPrepare() PrepareFunc {
	return func(ctx context.Context, path string, o imageprep.Options) (*imageprep.Result, error) {
		return nil, errNoPreparer
	}
}
