// Package browse is the photo browser: a folder's images (and sub-folders)
// in a virtualised list with fuzzy filtering and multi-selection, each row
// showing the person the photo maps to and its per-platform status from
// the journal, with the preview of the photo under the cursor beside or
// below the list.
package browse
