// Package common is what every headshot TUI component shares: the Component
// interface the root model routes to, the Common bundle each component embeds
// (size, styles, keys, colour mode), the one Styles set, the one KeyMap, the
// colour-reduction helpers used to draw images with half-block cells, Sanitize
// for every untrusted string, and the messages components use to talk to the
// root (switch screen, upload jobs, errors).
package common
