// Package preview shows the photo under the browser's cursor: the upright
// original with the crop square drawn on it and the 600x600 result side by
// side (stacked when narrow), drawn in real pixels through tui/graphics
// where the terminal shows images, else with block cells in the colours
// the terminal supports, plus the details (dimensions, bytes, format,
// orientation, crop method and confidence, flags). Preparation runs in a
// command, results are cached by (path, mtime, size, options) and their
// drawings (encoded images) by cell size and protocol, and results for a
// photo the cursor has left are dropped.
package preview
