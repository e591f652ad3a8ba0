package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// seedLine puts published releases in place, oldest first, an hour apart, so
// GitHub's own (legacy) rule would make the last one the latest.
func seedLine(h *actiontest.Harness, rels ...emulator.SeedRelease) {
	base := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	for i, sr := range rels {
		sr.CreatedAt = base.Add(time.Duration(i) * time.Hour)
		h.Emu.SeedRelease(repo, sr)
	}
}

func releaseByTag(t *testing.T, h *actiontest.Harness, tag string) emulator.Release {
	t.Helper()
	for _, rel := range h.Emu.Releases(repo) {
		if rel.TagName == tag {
			return rel
		}
	}
	t.Fatalf("no release %s", tag)
	return emulator.Release{}
}

// TestMakeLatestSemver: make_latest: semver makes the new release the latest
// exactly when its tag is the highest SemVer among the published,
// non-prerelease releases; prereleases and tags that are not SemVer do not
// take part; a patch of an old line does not become the latest; the decision
// and its reason are in the log and in the summary.
func TestMakeLatestSemver(t *testing.T) {
	t.Parallel()
	others := []emulator.SeedRelease{
		{TagName: "v1.2.0"},
		{TagName: "v2.0.0"},
		{TagName: "v3.0.0-rc.1", Prerelease: true}, // a prerelease: not compared
		{TagName: "nightly"},                       // not SemVer: not compared, and the legacy latest
	}
	cases := []struct {
		tag, latest, chose string
	}{
		{tag: "v1.2.1", latest: "nightly", chose: "chose false: v1.2.1 is not higher than the published release v2.0.0"},
		{tag: "v2.1.0", latest: "v2.1.0", chose: "chose true: v2.1.0 is higher than every other published release (the highest was v2.0.0)"},
		{tag: "2.0.1", latest: "2.0.1", chose: "chose true"},                                                         // no leading v is SemVer too
		{tag: "v2.0.0+build.7", latest: "nightly", chose: "chose false"},                                             // equal to v2.0.0: not higher
		{tag: "release-9", latest: "release-9", chose: "is not a SemVer tag, so GitHub's own rule (legacy) decides"}, // newest by date
		{tag: "v2", latest: "v2", chose: "legacy"},                                                                   // a shorthand is not SemVer
	}
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{})
			seedLine(h, others...)
			h.Write("dist/app.tar.gz", "build")
			r := h.Run(map[string]string{"tag": c.tag, "files": "dist/*", "make_latest": "semver"})
			if r.Code != 0 {
				t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
			}
			if rel := releaseByTag(t, h, c.tag); rel.Draft {
				t.Fatalf("release %s is still a draft", c.tag)
			}
			latest, ok := h.Emu.Latest(repo)
			if !ok || latest.TagName != c.latest {
				t.Errorf("latest = %q (%v), want %q", latest.TagName, ok, c.latest)
			}
			if !strings.Contains(r.Stdout, c.chose) {
				t.Errorf("log lacks %q:\n%s", c.chose, r.Stdout)
			}
			if !strings.Contains(r.Summary, "semver chose") || !strings.Contains(r.Summary, c.chose[strings.Index(c.chose, " ")+1:]) {
				t.Errorf("summary lacks the decision %q:\n%s", c.chose, r.Summary)
			}
		})
	}
}

// TestMakeLatestSemverCostsNoExtraRequestOnCreate: a new release reuses the
// listings the create already makes, so make_latest: semver costs no request
// over a plain create (TestPlainCreateTakesNineRequests).
func TestMakeLatestSemverCostsNoExtraRequestOnCreate(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	seedLine(h, emulator.SeedRelease{TagName: "v0.9.0"})
	threeFiles(h)
	h.Emu.ResetLog()
	r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "make_latest": "semver"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if n := len(h.Emu.Requests()); n > 9 {
		t.Fatalf("%d requests, want at most 9", n)
	}
	if latest, _ := h.Emu.Latest(repo); latest.TagName != "v1.0.0" {
		t.Fatalf("latest = %q, want v1.0.0", latest.TagName)
	}
}

// TestMakeLatestSemverOnPublishedRelease: a re-run on a published release that
// is not the latest makes it the latest when its tag is the highest (the one
// read the run makes for the decision), and leaves it alone when it is not.
func TestMakeLatestSemverOnPublishedRelease(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	seedLine(h,
		emulator.SeedRelease{TagName: "v3.0.0", MakeLatest: "false"},
		emulator.SeedRelease{TagName: "v2.5.0"},
	)
	r := h.Run(map[string]string{"tag": "v3.0.0", "make_latest": "semver"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if latest, _ := h.Emu.Latest(repo); latest.TagName != "v3.0.0" {
		t.Fatalf("latest = %q, want v3.0.0\n%s", latest.TagName, r.Stdout)
	}
	r = h.Run(map[string]string{"tag": "v2.5.0", "make_latest": "semver"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if latest, _ := h.Emu.Latest(repo); latest.TagName != "v3.0.0" {
		t.Fatalf("latest = %q after v2.5.0's re-run, want v3.0.0", latest.TagName)
	}
}

// TestPrereleaseAuto: prerelease: auto makes a release a prerelease exactly
// when its tag has a SemVer pre-release part, and then make_latest: semver
// never makes it the latest.
func TestPrereleaseAuto(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		tag  string
		pre  bool
		part string
	}{
		{tag: "v2.0.0-rc.1", pre: true, part: `"rc.1"`},
		{tag: "3.0.0-beta", pre: true, part: `"beta"`},
		{tag: "v2.0.0", pre: false},
		{tag: "v2.0.0+build-1", pre: false}, // a "-" in build metadata is no pre-release part
		{tag: "nightly-2026", pre: false},   // not SemVer
	} {
		t.Run(c.tag, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{})
			seedLine(h, emulator.SeedRelease{TagName: "v1.0.0"})
			r := h.Run(map[string]string{"tag": c.tag, "prerelease": "auto", "make_latest": "semver"})
			if r.Code != 0 {
				t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
			}
			rel := releaseByTag(t, h, c.tag)
			if rel.Draft || rel.Prerelease != c.pre {
				t.Fatalf("release %s: draft %v, prerelease %v; want published, prerelease %v", c.tag, rel.Draft, rel.Prerelease, c.pre)
			}
			if c.pre {
				if !strings.Contains(r.Stdout, "pre-release part "+c.part) {
					t.Errorf("log does not name the pre-release part %s:\n%s", c.part, r.Stdout)
				}
				if latest, _ := h.Emu.Latest(repo); latest.TagName != "v1.0.0" {
					t.Errorf("latest = %q, want v1.0.0", latest.TagName)
				}
				if !strings.Contains(r.Stdout, "chose false: "+c.tag+" is a prerelease") {
					t.Errorf("log lacks the prerelease reason:\n%s", r.Stdout)
				}
			} else if !strings.Contains(r.Stdout, "has no SemVer pre-release part") {
				t.Errorf("log does not say why it is no prerelease:\n%s", r.Stdout)
			}
		})
	}
}

// TestDryRunShowsLatestAndPrerelease: a dry run says what prerelease: auto and
// make_latest: semver would choose, and changes nothing.
func TestDryRunShowsLatestAndPrerelease(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	seedLine(h, emulator.SeedRelease{TagName: "v1.4.0"})
	before := len(h.Emu.Releases(repo))
	r := h.Run(map[string]string{"tag": "v1.3.2", "prerelease": "auto", "make_latest": "semver", "dry_run": "true"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	for _, want := range []string{
		"dry run: prerelease auto: v1.3.2 has no SemVer pre-release part, so the release would not be a prerelease",
		"dry run: make_latest: semver chose false: v1.3.2 is not higher than the published release v1.4.0",
	} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("dry run log lacks %q:\n%s", want, r.Stdout)
		}
	}
	if !strings.Contains(r.Summary, "semver chose false: v1.3.2 is not higher") {
		t.Errorf("dry run summary lacks the decision:\n%s", r.Summary)
	}
	if after := len(h.Emu.Releases(repo)); after != before {
		t.Fatalf("dry run changed the releases: %d, then %d", before, after)
	}
}
