package conformance

import (
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
)

// TestActionTrafficConforms drives the real action, from environment variables
// to outputs, through the validator: every request it sends and every answer the
// emulator gives must match GitHub's description, for github.com and for GHES.
func TestActionTrafficConforms(t *testing.T) {
	t.Parallel()
	for _, d := range descriptions {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, d.name, emulator.Options{Layout: d.layout})
			r.Write("dist/app-linux-amd64.tar.gz", "linux build")
			r.Write("dist/app-darwin-arm64.zip", "mac build")
			r.Write("dist/app windows.exe", "windows build")
			create := map[string]string{
				"tag": "v1.0.0", "files": "dist/*", "body": "Highlights.",
				"generate_release_notes": "true", "checksums": "SHA256SUMS",
			}

			// A new release: three files, generated notes, a checksum list.
			r.run(create)
			rels := r.Emu.Releases(testRepo)
			if len(rels) != 1 || rels[0].Draft || len(rels[0].Assets) != 4 || !strings.Contains(rels[0].Body, "Highlights.") {
				t.Fatalf("after the first run: %+v", rels)
			}
			rel := rels[0]
			r.expectWrites("create", "repos/create-release", "repos/upload-release-asset", "repos/update-release")
			if n := r.val.Operations()[OpUploadAsset]; n != 4 {
				t.Errorf("validated %d uploads, want 4 (three files and the checksums)", n)
			}

			// The same run again changes nothing.
			r.run(create)
			r.expectWrites("identical re-run")

			// New content for one file replaces that asset (and the checksum
			// list): uploaded under a temporary name, old one deleted, renamed.
			r.Write("dist/app-darwin-arm64.zip", "mac build, fixed")
			r.run(create)
			r.expectWrites("replace", "repos/delete-release-asset", "repos/upload-release-asset", "repos/update-release-asset")

			// A draft for another tag is found by listing (get-by-tag never
			// returns drafts); an asset a broken upload left ("starter") is
			// listed, deleted and uploaded again.
			draft := r.Emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: "v2.0.0", Name: "Drafted", Body: "draft notes", Draft: true})
			r.Emu.SeedAsset(testRepo, draft.ID, "app.zip", "", "starter", nil)
			r.Write("two/app.zip", "two")
			r.run(map[string]string{"tag": "v2.0.0", "files": "two/app.zip", "make_latest": "legacy"})
			got := r.Emu.Assets(testRepo, draft.ID)
			if len(got) != 1 || got[0].State != "uploaded" || got[0].Size != 3 {
				t.Errorf("draft's assets after the run: %+v", got)
			}
			ops := r.since()
			for _, op := range []string{"repos/get-release-by-tag", "repos/list-releases", "repos/list-release-assets", "repos/delete-release-asset", OpUploadAsset, "repos/update-release"} {
				if ops[op] == 0 {
					t.Errorf("draft: %s was not exercised (validated: %v)", op, ops)
				}
			}
			if ops["repos/create-release"] != 0 {
				t.Errorf("draft: created a release instead of reusing the draft: %v", ops)
			}

			// delete_other_assets removes what is not in files.
			r.Emu.SeedAsset(testRepo, rel.ID, "stale.txt", "old", "", []byte("stale"))
			r.since()
			r.run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "checksums": "SHA256SUMS", "delete_other_assets": "true"})
			r.expectWrites("delete_other_assets", "repos/delete-release-asset")
			for _, a := range r.Emu.Assets(testRepo, rel.ID) {
				if a.Name == "stale.txt" {
					t.Errorf("stale.txt survived delete_other_assets")
				}
			}

			// A dry run reads and writes nothing.
			r.Write("dist/new.txt", "new")
			out := r.run(map[string]string{"tag": "v3.0.0", "files": "dist/*", "dry_run": "true"})
			r.expectWrites("dry run")
			if !strings.Contains(out, "plan") {
				t.Errorf("dry run wrote no plan output:\n%s", out)
			}

			if r.val.WebRequests() != 0 {
				t.Errorf("the action made %d browser downloads", r.val.WebRequests())
			}
		})
	}
}
