package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestDemo runs the README's first command: two publishes against the emulator,
// the second changing nothing.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := demo(t.Context(), &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	s := out.String()
	for _, want := range []string{
		"created and published by this run",
		"4 uploaded, 0 replaced, 0 kept, 0 deleted",
		"already up to date: this run changed nothing",
		"0 uploaded, 0 replaced, 4 kept, 0 deleted",
		"upload_asset     4",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}
