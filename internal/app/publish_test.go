package app

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

func threeFiles(h *harness) {
	h.write("dist/app-linux-amd64.tar.gz", "linux build")
	h.write("dist/app-darwin-arm64.zip", "mac build")
	h.write("dist/app windows.exe", "windows build")
}

func TestPublishCreatesReleaseWithThreeAssets(t *testing.T) {
	t.Parallel()
	for _, layout := range []emulator.Layout{emulator.DotCom, emulator.GHES} {
		t.Run(map[emulator.Layout]string{emulator.DotCom: "github.com", emulator.GHES: "ghes"}[layout], func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, emulator.Options{Layout: layout})
			threeFiles(h)
			r := h.run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "body": "First release."})
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stdout)
			}
			rel := h.only("v1.0.0")
			if rel.Draft || rel.Name != "v1.0.0" || rel.Body != "First release." {
				t.Fatalf("release = draft %v name %q body %q", rel.Draft, rel.Name, rel.Body)
			}
			want := map[string]string{
				"app-linux-amd64.tar.gz": "uploaded:linux build",
				"app-darwin-arm64.zip":   "uploaded:mac build",
				"app.windows.exe":        "uploaded:windows build",
			}
			if got := h.assetContents(rel.ID); !maps.Equal(got, want) {
				t.Fatalf("assets = %v, want %v", got, want)
			}
			if r.outputs["id"] != fmt.Sprint(rel.ID) || r.outputs["created"] != "true" || r.outputs["tag"] != "v1.0.0" {
				t.Fatalf("outputs = %v", r.outputs)
			}
			if r.outputs["html_url"] != rel.HTMLURL || !strings.Contains(r.outputs["upload_url"], "/releases/") {
				t.Fatalf("html_url %q (release has %q), upload_url %q", r.outputs["html_url"], rel.HTMLURL, r.outputs["upload_url"])
			}
			list := r.assets(t)
			if len(list) != 3 {
				t.Fatalf("assets output has %d entries: %+v", len(list), list)
			}
			for _, a := range list {
				if a.Action != "uploaded" || a.ID == 0 || a.BrowserDownloadURL == "" || !strings.HasPrefix(a.Digest, "sha256:") || a.State != "uploaded" {
					t.Fatalf("asset report %+v", a)
				}
				if a.Name == "app.windows.exe" && a.Label != "app windows.exe" {
					t.Fatalf("renamed asset should carry the original name as label, got %q", a.Label)
				}
			}
			if !strings.Contains(r.summary, rel.HTMLURL) || !strings.Contains(r.summary, "app-linux-amd64.tar.gz") {
				t.Fatalf("summary lacks the release link or an asset:\n%s", r.summary)
			}
			// Published last: exactly one PATCH, after every upload.
			var order []string
			for _, q := range h.emu.Requests() {
				if q.Method != "GET" {
					order = append(order, q.Route)
				}
			}
			if len(order) == 0 || order[0] != emulator.RouteCreateRelease || order[len(order)-1] != emulator.RouteUpdateRelease {
				t.Fatalf("write order %v: want create first and the publishing update last", order)
			}
			if layout == emulator.GHES {
				for _, q := range h.emu.Requests() {
					if !strings.HasPrefix(q.Path, "/api/v3/") && !strings.HasPrefix(q.Path, "/api/uploads/") {
						t.Fatalf("GHES request outside /api/v3 and /api/uploads: %s %s", q.Method, q.Path)
					}
				}
			}
		})
	}
}

func TestPublishRerunIsIdempotent(t *testing.T) {
	t.Parallel()
	for _, layout := range []emulator.Layout{emulator.DotCom, emulator.GHES} {
		t.Run(fmt.Sprint(layout), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, emulator.Options{Layout: layout})
			threeFiles(h)
			in := map[string]string{"tag": "v1.0.0", "files": "dist/*", "body": "Notes", "checksums": "SHA256SUMS"}
			if r := h.run(in); r.code != 0 {
				t.Fatalf("first run: exit %d\n%s", r.code, r.stdout)
			}
			rel := h.only("v1.0.0")
			before := h.emu.Assets(testRepo, rel.ID)
			h.emu.ResetLog()
			r := h.run(in)
			if r.code != 0 {
				t.Fatalf("second run: exit %d\n%s", r.code, r.stdout)
			}
			if got := h.only("v1.0.0"); got.ID != rel.ID || got.Draft {
				t.Fatalf("second run changed the release: %+v", got)
			}
			after := h.emu.Assets(testRepo, rel.ID)
			if len(after) != 4 || fmt.Sprint(ids(after)) != fmt.Sprint(ids(before)) {
				t.Fatalf("assets before %v after %v", ids(before), ids(after))
			}
			if n := h.writes(); n != 0 {
				t.Fatalf("identical re-run made %d writes: %+v", n, h.emu.Requests())
			}
			if r.outputs["created"] != "false" {
				t.Fatalf("created = %q on a re-run", r.outputs["created"])
			}
			for _, a := range r.assets(t) {
				if a.Action != "kept" {
					t.Fatalf("asset %s action %s on an identical re-run", a.Name, a.Action)
				}
			}
		})
	}
}

func ids(list []emulator.Asset) []int64 {
	var out []int64
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func TestPublishReusesDraftBehindNewerReleases(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		layout emulator.Layout
		newer  int
	}{{emulator.DotCom, 30}, {emulator.GHES, 30}, {emulator.DotCom, 130}, {emulator.GHES, 130}} {
		layout := c.layout
		t.Run(fmt.Sprintf("layout%d/%d-newer", c.layout, c.newer), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, emulator.Options{Layout: layout})
			base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			draft := h.emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: "v0.9.0", Name: "Drafted by release-drafter", Body: "drafted notes", Draft: true, CreatedAt: base})
			for i := 1; i <= c.newer; i++ {
				h.emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: fmt.Sprintf("v1.%d.0", i), CreatedAt: base.Add(time.Duration(i) * time.Hour)})
			}
			h.write("dist/app.zip", "zip")
			r := h.run(map[string]string{"tag": "v0.9.0", "files": "dist/*", "make_latest": "false"})
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stdout)
			}
			if n := h.emu.Counts()[emulator.RouteCreateRelease]; n != 0 {
				t.Fatalf("created %d releases; the draft should have been reused", n)
			}
			// The client asks for 100 a page: behind 130 releases the draft is on page 2.
			if n, want := h.emu.Counts()[emulator.RouteListReleases], 1+c.newer/100; n != want {
				t.Fatalf("listed %d pages, want %d", n, want)
			}
			rel := h.only("v0.9.0")
			if rel.ID != draft.ID || rel.Draft || rel.Name != "Drafted by release-drafter" || rel.Body != "drafted notes" {
				t.Fatalf("release = %+v; want the draft published with its name and notes untouched", rel)
			}
			if r.outputs["created"] != "false" || r.outputs["id"] != fmt.Sprint(draft.ID) {
				t.Fatalf("outputs %v", r.outputs)
			}
			if got := h.assetContents(rel.ID); got["app.zip"] != "uploaded:zip" {
				t.Fatalf("assets %v", got)
			}
		})
	}
}

func TestPublishDraftTrueKeepsDraftAndNeverUnpublishes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	h.write("a.txt", "a")
	if r := h.run(map[string]string{"tag": "v2", "files": "a.txt", "draft": "true"}); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	if rel := h.only("v2"); !rel.Draft {
		t.Fatal("draft: true published the release")
	}
	if r := h.run(map[string]string{"tag": "v2", "files": "a.txt"}); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	if rel := h.only("v2"); rel.Draft {
		t.Fatal("draft: false left the draft unpublished")
	}
	r := h.run(map[string]string{"tag": "v2", "files": "a.txt", "draft": "true"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	if rel := h.only("v2"); rel.Draft {
		t.Fatal("draft: true turned a published release back into a draft")
	}
	if !strings.Contains(r.stdout, "::warning::") || !strings.Contains(r.stdout, "already published") {
		t.Fatalf("no warning about draft: true on a published release:\n%s", r.stdout)
	}
}

func TestPublishUpdatesOnlyFieldsTheUserSet(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	h.emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: "v3", Name: "Three", Body: "old notes", Prerelease: true})
	r := h.run(map[string]string{"tag": "v3", "body": "new notes"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	rel := h.only("v3")
	if rel.Name != "Three" || rel.Body != "new notes" || !rel.Prerelease {
		t.Fatalf("release = name %q body %q prerelease %v", rel.Name, rel.Body, rel.Prerelease)
	}
	if r := h.run(map[string]string{"tag": "v3", "prerelease": "false", "name": "Three!"}); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	rel = h.only("v3")
	if rel.Name != "Three!" || rel.Body != "new notes" || rel.Prerelease {
		t.Fatalf("release = name %q body %q prerelease %v", rel.Name, rel.Body, rel.Prerelease)
	}
}

func TestGeneratedNotesAreNeverRepeated(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	in := map[string]string{"tag": "v4", "body": "Highlights: speed.", "generate_release_notes": "true", "previous_tag": "v3"}
	for i := 0; i < 2; i++ {
		if r := h.run(in); r.code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i, r.code, r.stdout)
		}
	}
	body := h.only("v4").Body
	if !strings.HasPrefix(body, "Highlights: speed.\n\n") {
		t.Fatalf("the user's notes should come first:\n%s", body)
	}
	if n := strings.Count(body, "What's Changed"); n != 1 {
		t.Fatalf("generated notes appear %d times after a re-run:\n%s", n, body)
	}
	if !strings.Contains(body, "v3...v4") {
		t.Fatalf("previous_tag not passed to the generator:\n%s", body)
	}
}

func TestReplacesAssetWithNewContent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	h.write("dist/app.zip", "version one")
	if r := h.run(map[string]string{"tag": "v5", "files": "dist/app.zip"}); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	h.write("dist/app.zip", "version two, longer")
	r := h.run(map[string]string{"tag": "v5", "files": "dist/app.zip"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	rel := h.only("v5")
	if got := h.assetContents(rel.ID); len(got) != 1 || got["app.zip"] != "uploaded:version two, longer" {
		t.Fatalf("assets %v", got)
	}
	if a := r.assets(t); len(a) != 1 || a[0].Action != "replaced" {
		t.Fatalf("assets output %+v", a)
	}
	// overwrite: false refuses, and changes nothing.
	h.write("dist/app.zip", "version three")
	h.emu.ResetLog()
	r = h.run(map[string]string{"tag": "v5", "files": "dist/app.zip", "overwrite": "false"})
	if r.code == 0 || !strings.Contains(r.stdout, "overwrite") {
		t.Fatalf("overwrite: false should fail naming the input; exit %d\n%s", r.code, r.stdout)
	}
	if n := h.writes(); n != 0 {
		t.Fatalf("a refused overwrite made %d writes", n)
	}
}

func TestDryRunChangesNothingAndPrintsPlan(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	threeFiles(h)
	r := h.run(map[string]string{"tag": "v6", "files": "dist/*", "dry_run": "true"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	if n := h.writes(); n != 0 {
		t.Fatalf("dry run made %d writes", n)
	}
	if len(h.releasesFor("v6")) != 0 {
		t.Fatal("dry run created a release")
	}
	if !strings.Contains(r.stdout, "upload   app.windows.exe <- dist/app windows.exe") {
		t.Fatalf("dry run log lacks the readable plan:\n%s", r.stdout)
	}
	if !strings.Contains(r.outputs["plan"], `"op":"upload"`) {
		t.Fatalf("plan output = %q", r.outputs["plan"])
	}
}
