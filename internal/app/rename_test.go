package app_test

import (
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestRenameOnUpload: "path => name" publishes a file under another name, with
// its label, and GitHub's renaming of that name predicted (the emulator stores
// "my app.zip" as "my.app.zip"); a re-run finds the renamed assets and keeps
// them instead of uploading them again; a dry run shows the names.
func TestRenameOnUpload(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Write("target/x86_64-unknown-linux-musl/release/tool", "linux binary")
	h.Write("target/aarch64-apple-darwin/release/tool", "mac binary")
	h.Write("dist/app.zip", "zip")
	files := strings.Join([]string{
		"target/x86_64-unknown-linux-musl/release/tool => tool-linux-x86_64#Linux (x86-64)",
		"target/aarch64-*/release/tool => tool-macos-arm64",
		"dist/app.zip => my app.zip",
	}, "\n")
	in := map[string]string{"tag": "v1.0.0", "files": files}

	dry := map[string]string{"dry_run": "true"}
	for k, v := range in {
		dry[k] = v
	}
	r := h.Run(dry)
	if r.Code != 0 {
		t.Fatalf("dry run: exit %d\n%s", r.Code, r.Stdout)
	}
	for _, name := range []string{"tool-linux-x86_64", "tool-macos-arm64", "my.app.zip"} {
		if !strings.Contains(r.Stdout, name) {
			t.Errorf("dry run does not show %s:\n%s", name, r.Stdout)
		}
	}

	r = h.Run(in)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	want := map[string][2]string{ // name -> content, label
		"tool-linux-x86_64": {"linux binary", "Linux (x86-64)"},
		"tool-macos-arm64":  {"mac binary", ""},
		"my.app.zip":        {"zip", "my app.zip"}, // GitHub's own label for a name it changed
	}
	id := h.Only("v1.0.0").ID
	got := h.Emu.Assets(repo, id)
	if len(got) != len(want) {
		t.Fatalf("assets %+v, want %v", got, want)
	}
	for _, a := range got {
		w, ok := want[a.Name]
		if !ok {
			t.Fatalf("unexpected asset %s", a.Name)
		}
		if a.Label != w[1] {
			t.Errorf("%s: label %q, want %q", a.Name, a.Label, w[1])
		}
		if content, _ := h.Emu.AssetContent(repo, a.ID); string(content) != w[0] {
			t.Errorf("%s: content %q, want %q", a.Name, content, w[0])
		}
	}
	for _, a := range r.Assets(t) {
		if _, ok := want[a.Name]; !ok || a.Action != "uploaded" {
			t.Errorf("assets output: %s %s", a.Name, a.Action)
		}
	}

	h.Emu.ResetLog()
	r = h.Run(in)
	if r.Code != 0 {
		t.Fatalf("re-run: exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Emu.Counts()[emulator.RouteUploadAsset]; n != 0 {
		t.Fatalf("re-run uploaded %d assets, want 0 (all kept)", n)
	}
	for _, a := range r.Assets(t) {
		if a.Action != "kept" {
			t.Errorf("re-run: %s %s, want kept", a.Name, a.Action)
		}
	}
}
