package packaging

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// usesLine matches "uses: owner/name@ref # comment" in YAML, in a workflow or in a
// README example; the comment (the version a SHA stands for) is kept.
var usesLine = regexp.MustCompile(`(?m)uses:\s*([A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+)@([^\s#]+)(\s*#\s*(\S+))?`)

// TestReadmeExamplesPinLikeTheWorkflows: a user copies the README's examples, so
// every third-party action in them carries the same pin (SHA and version comment)
// as this repository's own workflows use, and none is missing from those.
func TestReadmeExamplesPinLikeTheWorkflows(t *testing.T) {
	t.Parallel()
	pins := map[string]string{} // action -> "ref # version"
	wfs, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(wfs) == 0 {
		t.Fatalf("no workflows: %v", err)
	}
	for _, wf := range wfs {
		b, err := os.ReadFile(wf)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range usesLine.FindAllStringSubmatch(string(b), -1) {
			pins[m[1]] = m[2] + " # " + m[4]
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, m := range usesLine.FindAllStringSubmatch(string(readme), -1) {
		if strings.HasPrefix(m[1], "releasekit/release-action") || strings.Contains(m[1], "OWNER/") {
			continue // this action itself, by its documented tag
		}
		seen++
		want, ok := pins[m[1]]
		if !ok {
			t.Errorf("README uses %s, which no workflow of this repository pins", m[1])
			continue
		}
		if got := m[2] + " # " + m[4]; got != want {
			t.Errorf("README pins %s@%s, the workflows %s@%s", m[1], got, m[1], want)
		}
	}
	if seen == 0 {
		t.Error("no third-party action found in the README's examples; is usesLine still right?")
	}
}
