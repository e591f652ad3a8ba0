package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestReplacementNeverLosesTheOldAsset fails a replacement at each of its steps:
// the release must still hold the asset, old or new, and a re-run must finish.
func TestReplacementNeverLosesTheOldAsset(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault emulator.Fault
		// what the release holds right after the failed run
		want string
	}{
		{"upload of the new content fails", emulator.Fault{Route: emulator.RouteUploadAsset, Kind: emulator.FaultStatus, Status: 422}, "old content"},
		{"deleting the old asset fails", emulator.Fault{Route: emulator.RouteDeleteAsset, Kind: emulator.FaultStatus, Status: 403}, "old content"},
		{"renaming the new asset fails", emulator.Fault{Route: emulator.RouteUpdateAsset, Kind: emulator.FaultStatus, Status: 403}, "new content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
			h.Write("dist/app.zip", "old content")
			in := map[string]string{"tag": "v1", "files": "dist/*"}
			if r := h.Run(in); r.Code != 0 {
				t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
			}
			rel := h.Only("v1")
			h.Write("dist/app.zip", "new content")
			h.Emu.Inject(c.fault)
			// The failed run and its re-run are two attempts of one workflow
			// run: the re-run knows the failed one has ended.
			in["GITHUB_RUN_ID"], in["GITHUB_RUN_ATTEMPT"] = "77", "1"
			if r := h.Run(in); r.Code == 0 {
				t.Fatalf("the faulty run exited 0\n%s", r.Stdout)
			}
			var holding []string
			for name, v := range h.AssetContents(rel.ID) {
				if strings.HasSuffix(v, ":"+c.want) {
					holding = append(holding, name)
				}
			}
			if len(holding) != 1 {
				t.Fatalf("after the failure the release holds %v; want %q under one name", keys(h.AssetContents(rel.ID)), c.want)
			}
			in["GITHUB_RUN_ATTEMPT"] = "2"
			r := h.Run(in)
			if r.Code != 0 {
				t.Fatalf("re-run: exit %d\n%s", r.Code, r.Stdout)
			}
			got := h.AssetContents(rel.ID)
			if len(got) != 1 || got["app.zip"] != "uploaded:new content" {
				t.Fatalf("after the re-run: %v", got)
			}
		})
	}
}

func TestDeleteOtherAssets(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Write("linux/app-linux.tar.gz", "linux")
	h.Write("mac/app-mac.zip", "mac")
	for _, job := range []string{"linux/*", "mac/*"} {
		if r := h.Run(map[string]string{"tag": "v1", "files": job}); r.Code != 0 {
			t.Fatalf("job %s: exit %d\n%s", job, r.Code, r.Stdout)
		}
	}
	rel := h.Only("v1")
	if n := len(h.AssetContents(rel.ID)); n != 2 {
		t.Fatalf("without delete_other_assets, matrix jobs must not remove each other's assets: %d assets", n)
	}
	r := h.Run(map[string]string{"tag": "v1", "files": "mac/*", "delete_other_assets": "true"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	got := h.AssetContents(rel.ID)
	if len(got) != 1 || got["app-mac.zip"] == "" {
		t.Fatalf("with delete_other_assets: %v", keys(got))
	}
	var deleted int
	for _, a := range r.Assets(t) {
		if a.Action == "deleted" && a.Name == "app-linux.tar.gz" {
			deleted++
		}
	}
	if deleted != 1 {
		t.Fatalf("assets output does not report the deletion: %+v", r.Assets(t))
	}
}

func TestContentTypesAndLabels(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Write("dist/app.tar.gz", "t")
	h.Write("dist/app.deb", "d")
	h.Write("dist/app.sbom.json", "{}")
	h.Write("dist/notes (final).txt", "n")
	r := h.Run(map[string]string{"tag": "v1", "files": "dist/*.tar.gz#Linux tarball\ndist/*.deb, dist/*.json, dist/*.txt"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	want := map[string][2]string{
		"app.tar.gz":      {"application/gzip", "Linux tarball"},
		"app.deb":         {"application/vnd.debian.binary-package", ""},
		"app.sbom.json":   {"application/spdx+json", ""},
		"notes.final.txt": {"text/plain", "notes (final).txt"},
	}
	for _, a := range h.Emu.Assets(actiontest.Repo, h.Only("v1").ID) {
		w, ok := want[a.Name]
		if !ok {
			t.Fatalf("unexpected asset %s", a.Name)
		}
		if !strings.HasPrefix(a.ContentType, w[0]) || a.Label != w[1] {
			t.Errorf("%s: content type %q label %q, want %q %q", a.Name, a.ContentType, a.Label, w[0], w[1])
		}
	}
}

func TestProgressLinesOnSlowUploads(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{UploadBytesPerSecond: 1 << 20}})
	h.Write("dist/big.bin", strings.Repeat("x", 1<<20))
	h.Write("dist/other.bin", strings.Repeat("y", 1<<20))
	env := map[string]string{"tag": "v1", "files": "dist/*"}
	r := h.RunFull(t.Context(), env, 200*time.Millisecond)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	var lines int
	for _, l := range strings.Split(r.Stdout, "\n") {
		if strings.Contains(l, " of 1.0 MiB (") && strings.Contains(l, "/s)") {
			lines++
		}
	}
	// About a second each at 1 MiB/s, a line every 200ms: several lines.
	if lines < 4 {
		t.Fatalf("%d progress lines, want several:\n%s", lines, r.Stdout)
	}
}
