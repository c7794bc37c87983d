// Package app holds the entry points of headshot's interactive commands
// (browse, demo, setup, doctor): it loads config, builds the clients and the
// engine, and runs the root TUI model.
package app
