package app_test

import (
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestLostCreateAnswerEndsInOneRelease: the create lands but its answer is lost
// (dropped after the write, or a 502 from in front of GitHub after a create that
// did not land); the run finds out which, and ends with exactly one release.
func TestLostCreateAnswerEndsInOneRelease(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fault   emulator.Fault
		creates int
	}{
		{"dropped after the write", emulator.Fault{Route: emulator.RouteCreateRelease, Kind: emulator.FaultLostAnswer}, 1},
		{"502 without the write", emulator.Fault{Route: emulator.RouteCreateRelease, Kind: emulator.FaultStatus, Status: 502}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{})
			h.Write("dist/app.zip", "zip")
			h.Emu.Inject(tc.fault)
			r := h.Run(map[string]string{"tag": "v1", "files": "dist/*"})
			if r.Code != 0 {
				t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
			}
			rel := h.Only("v1") // one release, no orphan draft beside it
			if rel.Draft || h.AssetContents(rel.ID)["app.zip"] != "uploaded:zip" || r.Outputs["created"] != "true" {
				t.Fatalf("release %+v, assets %v, created=%s", rel, h.AssetContents(rel.ID), r.Outputs["created"])
			}
			if n := h.Count(emulator.RouteCreateRelease); n != tc.creates {
				t.Fatalf("%d creates sent, want %d", n, tc.creates)
			}
		})
	}
}

// TestBrokenUploadRemovesTheDraft: an upload that keeps breaking leaves a
// "starter" asset; it is this run's own, so the run still removes its draft and
// does not say another run uploaded it.
func TestBrokenUploadRemovesTheDraft(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Write("dist/app.zip", strings.Repeat("payload ", 4096))
	h.Emu.Inject(emulator.Fault{Route: emulator.RouteUploadAsset, Kind: emulator.FaultStarter, Times: 100})
	r := h.Run(map[string]string{"tag": "v1", "files": "dist/*"})
	if r.Code == 0 {
		t.Fatal("exit 0")
	}
	if rs := h.ReleasesFor("v1"); len(rs) != 0 {
		t.Fatalf("left %+v\n%s", rs, r.Stdout)
	}
	if strings.Contains(r.Stdout, "did not upload") || !strings.Contains(r.Stdout, "removed draft release") {
		t.Fatalf("cleanup message:\n%s", r.Stdout)
	}
}
