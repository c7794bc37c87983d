package setup

import (
	"strings"

	"headshot/upload"
)

// descriptor is p's registered description (the zero one for a platform
// this build does not know, which setup never lists).
func descriptor(p upload.Platform) upload.Descriptor {
	if d, ok := upload.Lookup(p); ok {
		return *d
	}
	return upload.Descriptor{Name: p, Title: string(p)}
}

// shown are the keys setup asks for, in order: the descriptor's Fields.
// Every other key of the table (concurrency, max_bytes, timeout, ...) is
// kept as the file has it.
func shown(p upload.Platform) []string {
	var out []string
	for _, f := range descriptor(p).Fields {
		out = append(out, f.Key)
	}
	return out
}

// label is a key as people read it.
func label(key string) string { return strings.ReplaceAll(key, "_", " ") }
