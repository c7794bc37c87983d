package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// manHeader is the header of every generated man page.
func manHeader() *doc.GenManHeader {
	return &doc.GenManHeader{Title: "HEADSHOT", Section: "1", Source: "headshot " + version, Manual: "headshot manual"}
}

// writeManPage writes headshot(1), the root's page, to w.
func writeManPage(root *cobra.Command, w io.Writer) error {
	return doc.GenMan(root, manHeader(), w)
}

// writeManTree writes one page per command (headshot.1, headshot-upload.1,
// ...) into dir, creating it.
func writeManTree(root *cobra.Command, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return doc.GenManTree(root, manHeader(), dir)
}
