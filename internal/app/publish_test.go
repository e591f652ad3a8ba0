package app_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

func threeFiles(h *actiontest.Harness) {
	h.Write("dist/app-linux-amd64.tar.gz", "linux build")
	h.Write("dist/app-darwin-arm64.zip", "mac build")
	h.Write("dist/app windows.exe", "windows build")
}

func TestPublishCreatesReleaseWithThreeAssets(t *testing.T) {
	t.Parallel()
	for _, layout := range []emulator.Layout{emulator.DotCom, emulator.GHES} {
		t.Run(map[emulator.Layout]string{emulator.DotCom: "github.com", emulator.GHES: "ghes"}[layout], func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{Layout: layout}})
			threeFiles(h)
			r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "body": "First release."})
			if r.Code != 0 {
				t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
			}
			rel := h.Only("v1.0.0")
			if rel.Draft || rel.Name != "v1.0.0" || rel.Body != "First release." {
				t.Fatalf("release = draft %v name %q body %q", rel.Draft, rel.Name, rel.Body)
			}
			want := map[string]string{
				"app-linux-amd64.tar.gz": "uploaded:linux build",
				"app-darwin-arm64.zip":   "uploaded:mac build",
				"app.windows.exe":        "uploaded:windows build",
			}
			if got := h.AssetContents(rel.ID); !maps.Equal(got, want) {
				t.Fatalf("assets = %v, want %v", got, want)
			}
			if r.Outputs["id"] != fmt.Sprint(rel.ID) || r.Outputs["created"] != "true" || r.Outputs["tag"] != "v1.0.0" {
				t.Fatalf("outputs = %v", r.Outputs)
			}
			if r.Outputs["html_url"] != rel.HTMLURL || !strings.Contains(r.Outputs["upload_url"], "/releases/") {
				t.Fatalf("html_url %q (release has %q), upload_url %q", r.Outputs["html_url"], rel.HTMLURL, r.Outputs["upload_url"])
			}
			list := r.Assets(t)
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
			if !strings.Contains(r.Summary, rel.HTMLURL) || !strings.Contains(r.Summary, "app-linux-amd64.tar.gz") {
				t.Fatalf("summary lacks the release link or an asset:\n%s", r.Summary)
			}
			// Published last: exactly one PATCH, after every upload.
			var order []string
			for _, q := range h.Emu.Requests() {
				if q.Method != "GET" {
					order = append(order, q.Route)
				}
			}
			if len(order) == 0 || order[0] != emulator.RouteCreateRelease || order[len(order)-1] != emulator.RouteUpdateRelease {
				t.Fatalf("write order %v: want create first and the publishing update last", order)
			}
			if layout == emulator.GHES {
				for _, q := range h.Emu.Requests() {
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
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{Layout: layout}})
			threeFiles(h)
			in := map[string]string{"tag": "v1.0.0", "files": "dist/*", "body": "Notes", "checksums": "SHA256SUMS"}
			if r := h.Run(in); r.Code != 0 {
				t.Fatalf("first run: exit %d\n%s", r.Code, r.Stdout)
			}
			rel := h.Only("v1.0.0")
			before := h.Emu.Assets(actiontest.Repo, rel.ID)
			h.Emu.ResetLog()
			r := h.Run(in)
			if r.Code != 0 {
				t.Fatalf("second run: exit %d\n%s", r.Code, r.Stdout)
			}
			if got := h.Only("v1.0.0"); got.ID != rel.ID || got.Draft {
				t.Fatalf("second run changed the release: %+v", got)
			}
			after := h.Emu.Assets(actiontest.Repo, rel.ID)
			if len(after) != 4 || fmt.Sprint(ids(after)) != fmt.Sprint(ids(before)) {
				t.Fatalf("assets before %v after %v", ids(before), ids(after))
			}
			if n := h.Writes(); n != 0 {
				t.Fatalf("identical re-run made %d writes: %+v", n, h.Emu.Requests())
			}
			if r.Outputs["created"] != "false" {
				t.Fatalf("created = %q on a re-run", r.Outputs["created"])
			}
			for _, a := range r.Assets(t) {
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
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{Layout: layout}})
			base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			draft := h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "v0.9.0", Name: "Drafted by release-drafter", Body: "drafted notes", Draft: true, CreatedAt: base})
			for i := 1; i <= c.newer; i++ {
				h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: fmt.Sprintf("v1.%d.0", i), CreatedAt: base.Add(time.Duration(i) * time.Hour)})
			}
			h.Write("dist/app.zip", "zip")
			r := h.Run(map[string]string{"tag": "v0.9.0", "files": "dist/*", "make_latest": "false"})
			if r.Code != 0 {
				t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
			}
			if n := h.Emu.Counts()[emulator.RouteCreateRelease]; n != 0 {
				t.Fatalf("created %d releases; the draft should have been reused", n)
			}
			// The client asks for 100 a page: behind 130 releases the draft is on page 2.
			if n, want := h.Emu.Counts()[emulator.RouteListReleases], 1+c.newer/100; n != want {
				t.Fatalf("listed %d pages, want %d", n, want)
			}
			rel := h.Only("v0.9.0")
			if rel.ID != draft.ID || rel.Draft || rel.Name != "Drafted by release-drafter" || rel.Body != "drafted notes" {
				t.Fatalf("release = %+v; want the draft published with its name and notes untouched", rel)
			}
			if r.Outputs["created"] != "false" || r.Outputs["id"] != fmt.Sprint(draft.ID) {
				t.Fatalf("outputs %v", r.Outputs)
			}
			if got := h.AssetContents(rel.ID); got["app.zip"] != "uploaded:zip" {
				t.Fatalf("assets %v", got)
			}
		})
	}
}

func TestPublishDraftTrueKeepsDraftAndNeverUnpublishes(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Write("a.txt", "a")
	if r := h.Run(map[string]string{"tag": "v2", "files": "a.txt", "draft": "true"}); r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if rel := h.Only("v2"); !rel.Draft {
		t.Fatal("draft: true published the release")
	}
	if r := h.Run(map[string]string{"tag": "v2", "files": "a.txt"}); r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if rel := h.Only("v2"); rel.Draft {
		t.Fatal("draft: false left the draft unpublished")
	}
	r := h.Run(map[string]string{"tag": "v2", "files": "a.txt", "draft": "true"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if rel := h.Only("v2"); rel.Draft {
		t.Fatal("draft: true turned a published release back into a draft")
	}
	if !strings.Contains(r.Stdout, "::warning::") || !strings.Contains(r.Stdout, "already published") {
		t.Fatalf("no warning about draft: true on a published release:\n%s", r.Stdout)
	}
}

func TestPublishUpdatesOnlyFieldsTheUserSet(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "v3", Name: "Three", Body: "old notes", Prerelease: true})
	r := h.Run(map[string]string{"tag": "v3", "body": "new notes"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	rel := h.Only("v3")
	if rel.Name != "Three" || rel.Body != "new notes" || !rel.Prerelease {
		t.Fatalf("release = name %q body %q prerelease %v", rel.Name, rel.Body, rel.Prerelease)
	}
	if r := h.Run(map[string]string{"tag": "v3", "prerelease": "false", "name": "Three!"}); r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	rel = h.Only("v3")
	if rel.Name != "Three!" || rel.Body != "new notes" || rel.Prerelease {
		t.Fatalf("release = name %q body %q prerelease %v", rel.Name, rel.Body, rel.Prerelease)
	}
}

func TestGeneratedNotesAreNeverRepeated(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	in := map[string]string{"tag": "v4", "body": "Highlights: speed.", "generate_release_notes": "true", "previous_tag": "v3"}
	for i := 0; i < 2; i++ {
		if r := h.Run(in); r.Code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i, r.Code, r.Stdout)
		}
	}
	body := h.Only("v4").Body
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
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Write("dist/app.zip", "version one")
	if r := h.Run(map[string]string{"tag": "v5", "files": "dist/app.zip"}); r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	h.Write("dist/app.zip", "version two, longer")
	r := h.Run(map[string]string{"tag": "v5", "files": "dist/app.zip"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	rel := h.Only("v5")
	if got := h.AssetContents(rel.ID); len(got) != 1 || got["app.zip"] != "uploaded:version two, longer" {
		t.Fatalf("assets %v", got)
	}
	if a := r.Assets(t); len(a) != 1 || a[0].Action != "replaced" {
		t.Fatalf("assets output %+v", a)
	}
	// overwrite: false refuses, and changes nothing.
	h.Write("dist/app.zip", "version three")
	h.Emu.ResetLog()
	r = h.Run(map[string]string{"tag": "v5", "files": "dist/app.zip", "overwrite": "false"})
	if r.Code == 0 || !strings.Contains(r.Stdout, "overwrite") {
		t.Fatalf("overwrite: false should fail naming the input; exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Writes(); n != 0 {
		t.Fatalf("a refused overwrite made %d writes", n)
	}
}

func TestDryRunChangesNothingAndPrintsPlan(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	threeFiles(h)
	r := h.Run(map[string]string{"tag": "v6", "files": "dist/*", "dry_run": "true"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Writes(); n != 0 {
		t.Fatalf("dry run made %d writes", n)
	}
	if len(h.ReleasesFor("v6")) != 0 {
		t.Fatal("dry run created a release")
	}
	if !strings.Contains(r.Stdout, "upload   app.windows.exe <- dist/app windows.exe") {
		t.Fatalf("dry run log lacks the readable plan:\n%s", r.Stdout)
	}
	if !strings.Contains(r.Outputs["plan"], `"op":"upload"`) {
		t.Fatalf("plan output = %q", r.Outputs["plan"])
	}
}

// TestPlainCreateTakesNineRequests: a new release with three files costs the
// lookup by tag, the listing that finds drafts, the create, the listing that
// settles a racing create, three uploads, the listing that checks the draft is
// complete before it is published, and the publishing update, whose answer
// carries the assets' published download URLs. A new draft's assets are never
// listed before the uploads: the run's one plan already knows it has none.
func TestPlainCreateTakesNineRequests(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	threeFiles(h)
	r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	var routes []string
	for _, q := range h.Emu.Requests() {
		routes = append(routes, q.Route)
	}
	if len(routes) > 9 {
		t.Fatalf("%d requests, want at most 9: %v", len(routes), routes)
	}
	if n := h.Emu.Counts()[emulator.RouteUploadAsset]; n != 3 {
		t.Fatalf("%d uploads, want 3: %v", n, routes)
	}
}
