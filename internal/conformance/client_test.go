package conformance

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/publish"
)

// TestClientTrafficConforms calls every method of the client, including the ones
// the action's usual runs do not reach, through the validator.
func TestClientTrafficConforms(t *testing.T) {
	t.Parallel()
	for _, d := range descriptions {
		for _, redirect := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/redirect=%v", d.name, redirect), func(t *testing.T) {
				t.Parallel()
				clientCalls(t, newRig(t, d.name, emulator.Options{Layout: d.layout, RedirectDownloads: redirect}), redirect)
			})
		}
	}
}

func clientCalls(t *testing.T, r *rig, redirect bool) {
	ctx := t.Context()
	c := r.client()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v1 := r.Emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: "v1.0.0", Name: "One", Body: "notes", CreatedAt: base})
	// Enough newer releases for the listing to take two pages (Link header).
	for i := 1; i <= 105; i++ {
		r.Emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: fmt.Sprintf("v0.%d.0", i), CreatedAt: base.Add(-time.Duration(i) * time.Hour), MakeLatest: "false"})
	}
	bin := r.Emu.SeedAsset(testRepo, v1.ID, "app.bin", "", "", []byte("binary content"))

	latest, err := c.LatestRelease(ctx)
	if err != nil || latest.ID != v1.ID || latest.TagName != "v1.0.0" {
		t.Fatalf("LatestRelease = %+v, %v; want release %d", latest, err, v1.ID)
	}
	byTag, err := c.ReleaseByTag(ctx, "v1.0.0")
	if err != nil || byTag.ID != v1.ID || byTag.UploadURL == "" {
		t.Fatalf("ReleaseByTag = %+v, %v", byTag, err)
	}
	if _, err := c.ReleaseByTag(ctx, "v9.9.9"); !errors.Is(err, publish.ErrNotFound) {
		t.Fatalf("ReleaseByTag(unknown) = %v, want ErrNotFound", err)
	}
	all, err := c.ListReleases(ctx)
	if err != nil || len(all) != 106 {
		t.Fatalf("ListReleases: %d releases, %v", len(all), err)
	}
	got, err := c.GetRelease(ctx, v1.ID)
	if err != nil || got.Name != "One" || got.Body != "notes" {
		t.Fatalf("GetRelease = %+v, %v", got, err)
	}

	// Downloads: 200 with the bytes, or 302 to the web host.
	rc, err := c.DownloadAsset(ctx, bin.ID, bin.Size)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || string(b) != "binary content" {
		t.Fatalf("DownloadAsset = %q, %v", b, err)
	}
	if redirect {
		if r.val.WebRequests() != 1 || r.val.ExceptionsUsed()[ExceptionDownloadBytes] != 0 {
			t.Fatalf("redirected download: %d web requests, exceptions %v", r.val.WebRequests(), r.val.ExceptionsUsed())
		}
	} else if r.val.ExceptionsUsed()[ExceptionDownloadBytes] != 1 || r.val.WebRequests() != 0 {
		t.Fatalf("direct download: exceptions %v, %d web requests", r.val.ExceptionsUsed(), r.val.WebRequests())
	}

	label := "The binary"
	a, err := c.UpdateAsset(ctx, bin.ID, nil, &label)
	if err != nil || a.Label != label || a.Name != "app.bin" || a.ID != bin.ID {
		t.Fatalf("UpdateAsset(label) = %+v, %v", a, err)
	}
	name := "app-renamed.bin"
	if a, err = c.UpdateAsset(ctx, bin.ID, &name, nil); err != nil || a.Name != name || a.Label != label {
		t.Fatalf("UpdateAsset(name) = %+v, %v", a, err)
	}

	// Create, notes, upload with a real media type, update, delete.
	tag, target, legacy, yes := "v2.0.0", "main", "legacy", true
	rel, err := c.CreateRelease(ctx, publish.ReleaseFields{TagName: &tag, TargetCommitish: &target, Draft: &yes, MakeLatest: &legacy})
	if err != nil || !rel.Draft || rel.TagName != tag {
		t.Fatalf("CreateRelease = %+v, %v", rel, err)
	}
	notes, err := c.GenerateNotes(ctx, publish.NotesRequest{TagName: tag, TargetCommitish: target, PreviousTagName: "v1.0.0", ConfigFilePath: ".github/release.yml"})
	if err != nil || notes == "" {
		t.Fatalf("GenerateNotes = %q, %v", notes, err)
	}
	file := filepath.Join(t.TempDir(), "app.tar.gz")
	if err := os.WriteFile(file, []byte("gzip bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	up, err := c.UploadAsset(ctx, rel, publish.UploadRequest{Path: file, Name: "app.tar.gz", Label: "Linux build", ContentType: "application/gzip", Size: 10})
	if err != nil {
		t.Fatalf("UploadAsset: %v", err)
	}
	type uploaded struct {
		ContentType, State, Label string
		Size                      int64
	}
	if d := cmp.Diff(uploaded{"application/gzip", "uploaded", "Linux build", 10}, uploaded{up.ContentType, up.State, up.Label, up.Size}); d != "" {
		t.Fatalf("UploadAsset = %+v (-want +got):\n%s", up, d)
	}
	list, err := c.ListAssets(ctx, rel.ID)
	if err != nil || len(list) != 1 || list[0].ID != up.ID || list[0].Digest != up.Digest {
		t.Fatalf("ListAssets = %+v, %v", list, err)
	}
	no := false
	if rel, err = c.UpdateRelease(ctx, rel.ID, publish.ReleaseFields{Draft: &no, MakeLatest: &legacy}); err != nil || rel.Draft {
		t.Fatalf("UpdateRelease = %+v, %v", rel, err)
	}
	if err := c.DeleteAsset(ctx, up.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteRelease(ctx, rel.ID); err != nil {
		t.Fatal(err)
	}

	var missing []string
	ops := r.val.Operations()
	for _, op := range []string{
		"repos/create-release", "repos/delete-release", "repos/delete-release-asset",
		"repos/generate-release-notes", "repos/get-latest-release", "repos/get-release",
		OpGetAsset, "repos/get-release-by-tag", "repos/list-release-assets",
		"repos/list-releases", "repos/update-release", "repos/update-release-asset", OpUploadAsset,
	} {
		if ops[op] == 0 {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("operations never exercised: %v (validated: %v)", missing, ops)
	}
	if ops["repos/list-releases"] != 2 {
		t.Errorf("listed releases in %d pages, want 2", ops["repos/list-releases"])
	}
	if !slices.Equal(r.spec.Patched, []string{ExceptionUploadContentType, ExceptionAssetStateStarter}) {
		t.Errorf("patched %v", r.spec.Patched)
	}
}
