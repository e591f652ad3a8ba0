package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestAtTheLimitsIsAccepted: what is just within GitHub's limits, or allowed on
// purpose, goes through: a body of exactly 125,000 characters, the full ref of
// a tag, and a link out of the working directory with follow_symlinks: true.
func TestAtTheLimitsIsAccepted(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Write("notes.md", strings.Repeat("é", 125_000))
	outside := filepath.Join(t.TempDir(), "tool.bin")
	if err := os.WriteFile(outside, []byte("built elsewhere"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.Write("dist/app.zip", "zip")
	if err := os.Symlink(outside, filepath.Join(h.WS, "dist", "tool.bin")); err != nil {
		t.Fatal(err)
	}
	r := h.Run(map[string]string{"tag": "refs/tags/v1.0.0", "files": "dist/*", "body_path": "notes.md", "follow_symlinks": "true"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	rel := h.Only("v1.0.0")
	if got := h.AssetContents(rel.ID)["tool.bin"]; got != "uploaded:built elsewhere" {
		t.Errorf("tool.bin = %q, want the link's target uploaded", got)
	}
	if r.Outputs["tag"] != "v1.0.0" {
		t.Errorf("tag output %q, want v1.0.0", r.Outputs["tag"])
	}
}

// TestUnknownInputOutsideAWorkflow: from a terminal, a shell's leftover INPUT_*
// variable is not the user's `with:`, and does not stop the run.
func TestUnknownInputOutsideAWorkflow(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Write("dist/app.zip", "zip")
	r := h.Run(map[string]string{"GITHUB_ACTIONS": "", "tag": "v1.0.0", "files": "dist/*", "INPUT_TAG_NAME": "v9"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	h.Only("v1.0.0")
}
