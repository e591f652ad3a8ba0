package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestMoveTagRefusedUnderImmutability: with immutable releases on, move_tag
// can only fail (the first publish locks the tag), so it is refused after the
// setting is read and before any write, pointing at channels. A server that
// cannot tell (404) changes nothing: the move goes ahead as before.
func TestMoveTagRefusedUnderImmutability(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		immutable bool
		fault     *emulator.Fault
		refused   bool
	}{
		{"on", true, nil, true},
		{"off", false, nil, false},
		{"unknown (404)", false, &emulator.Fault{Route: emulator.RouteImmutableReleases, Kind: emulator.FaultStatus, Status: 404}, false},
		{"unknown (403, no admin read)", false, &emulator.Fault{Route: emulator.RouteImmutableReleases, Kind: emulator.FaultStatus, Status: 403}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Immutable: tc.immutable})
			c := commits(h, "one", "two")
			h.Emu.AddTag(repo, "nightly")
			if tc.fault != nil {
				h.Emu.Inject(*tc.fault)
			}
			h.Write("dist/app.zip", "build")
			r := h.Run(map[string]string{"tag": "nightly", "files": "dist/*", "move_tag": "true", "GITHUB_SHA": c[1]})
			if n := h.Count(emulator.RouteImmutableReleases); n != 1 {
				t.Fatalf("the setting was read %d times", n)
			}
			if !tc.refused {
				if r.Code != 0 || tagOn(t, h, "nightly") != c[1] {
					t.Fatalf("exit %d, tag on %s\n%s", r.Code, tagOn(t, h, "nightly"), r.Stdout)
				}
				return
			}
			if r.Code == 0 {
				t.Fatalf("move_tag under immutable releases exited 0\n%s", r.Stdout)
			}
			if n := h.Writes(); n != 0 {
				t.Fatalf("%d writes before the refusal: %v", n, h.Emu.Requests())
			}
			for _, want := range []string{`input "move_tag"`, "immutable releases on", "prune_tags", "keep_latest", "nothing was changed"} {
				if !strings.Contains(r.Stdout, want) {
					t.Errorf("the refusal lacks %q:\n%s", want, r.Stdout)
				}
			}
			if len(h.ReleasesFor("nightly")) != 0 {
				t.Errorf("a release was made")
			}
		})
	}
}

// TestBurnedTag: a tag an immutable release used can never be published
// again. GitHub (and the emulator) takes the draft and its uploads and refuses
// only the publish; the run then removes what it made and says the tag is
// burned and to use a new one.
func TestBurnedTag(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Immutable: true})
	h.Write("dist/app.zip", "build one")
	in := map[string]string{"tag": "v1", "files": "dist/*"}
	mustRun(t, h, in)
	if !h.Only("v1").Immutable {
		t.Fatal("v1 is not immutable")
	}
	deleteRelease(t, h, h.Only("v1").ID)

	// The run that created the draft removes it.
	h.Emu.ResetLog()
	r := h.Run(in)
	if r.Code == 0 {
		t.Fatalf("publishing on a burned tag exited 0\n%s", r.Stdout)
	}
	if h.Count(emulator.RouteUploadAsset) == 0 {
		t.Fatal("no upload reached the draft: the emulator refused the burned tag before the publish")
	}
	for _, want := range []string{"tag v1 is burned", "new tag", "is removed"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("the error lacks %q:\n%s", want, r.Stdout)
		}
	}
	if got := h.ReleasesFor("v1"); len(got) != 0 {
		t.Errorf("left behind: %+v", got)
	}

	// A draft the run found (someone else's) stays, without this run's uploads.
	draft := h.Emu.SeedRelease(repo, emulator.SeedRelease{TagName: "v1", Draft: true})
	h.Emu.SeedAsset(repo, draft.ID, "theirs.txt", "", "", []byte("theirs"))
	r = h.Run(in)
	if r.Code == 0 || !strings.Contains(r.Stdout, "tag v1 is burned") {
		t.Fatalf("found draft: exit %d\n%s", r.Code, r.Stdout)
	}
	got := h.ReleasesFor("v1")
	if len(got) != 1 || got[0].ID != draft.ID || !got[0].Draft {
		t.Fatalf("releases for v1: %+v", got)
	}
	if names := h.AssetContents(draft.ID); len(names) != 1 || names["theirs.txt"] == "" {
		t.Errorf("assets left on the found draft: %v", names)
	}
}

// deleteRelease deletes a release through the API, as a person would.
func deleteRelease(t *testing.T, h *actiontest.Harness, id int64) {
	t.Helper()
	if status := h.API(http.MethodDelete, fmt.Sprintf("releases/%d", id), ""); status != http.StatusNoContent {
		t.Fatalf("delete release %d: %d", id, status)
	}
}
