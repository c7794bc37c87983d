// Package failures is the Errors screen: every failed upload grouped by
// what the technician can do about it (rejected, too large, throttled,
// credentials, person not found, network/server), each with the platform's
// own words, sanitized. From here a failure is retried (one, or all of its
// class), re-encoded smaller, opened in Correct, remapped or skipped, and a
// throttled platform is slowed down or paused. It reads the engine through a
// small interface, refreshes on a tick and on upload events, and never
// touches the engine's workers.
package failures
