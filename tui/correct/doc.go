// Package correct is the Correct screen: one photo with its crop, which the
// technician nudges (arrows/hjkl), zooms (+/-) or resets to auto, maps to
// another file or another person, and sends to one platform or all. A
// manual crop is saved in the journal by the source's hash so later
// batches use it.
package correct
