package publish

import (
	"context"
	"fmt"

	"github.com/releasekit/release-action/internal/core"
)

// latestChoice is what make_latest: semver decided: the make_latest value sent
// to GitHub ("true", "false" or "legacy") and why.
type latestChoice struct {
	value  string
	reason string
}

// decideLatest applies make_latest: semver. The release becomes the latest only
// when its tag is the highest SemVer among the repository's published,
// non-prerelease releases (build metadata ignored, as SemVer says; a tie with
// another release's version is not "higher"). A release that is or will be a
// prerelease is never the latest. A tag that is not SemVer is left to
// GitHub's own rule, make_latest: legacy. Releases whose tags are not SemVer
// cannot be ordered against this one and are not compared. all is a listing of
// the repository's releases; prerelease tells whether this release is one.
func decideLatest(tag string, prerelease bool, all []*Release) latestChoice {
	if prerelease {
		return latestChoice{"false", fmt.Sprintf("%s is a prerelease, which is never the latest release", tag)}
	}
	if _, ok := core.SemVer(tag); !ok {
		return latestChoice{"legacy", fmt.Sprintf("%s is not a SemVer tag, so GitHub's own rule (legacy) decides", tag)}
	}
	var highest string
	for _, rel := range all {
		if rel.Draft || rel.Prerelease || rel.TagName == tag {
			continue
		}
		if _, ok := core.SemVer(rel.TagName); !ok {
			continue
		}
		if highest == "" || core.CompareSemVer(rel.TagName, highest) > 0 {
			highest = rel.TagName
		}
	}
	switch {
	case highest == "":
		return latestChoice{"true", fmt.Sprintf("%s is the only published SemVer release", tag)}
	case core.CompareSemVer(tag, highest) > 0:
		return latestChoice{"true", fmt.Sprintf("%s is higher than every other published release (the highest was %s)", tag, highest)}
	default:
		return latestChoice{"false", fmt.Sprintf("%s is not higher than the published release %s", tag, highest)}
	}
}

// semverLatest decides make_latest: semver for rel (nil in a dry run for a
// release not created yet), using the listing the run made when it made one,
// and records the decision in the log and the result.
func (r *run) semverLatest(ctx context.Context, rel *Release) (latestChoice, error) {
	all := r.listed
	if all == nil {
		var err error
		if all, err = r.p.GH.ListReleases(ctx); err != nil {
			return latestChoice{}, fmt.Errorf("list releases for %s: %w", r.j.Words.Set("make_latest", "semver"), err)
		}
	}
	pre := rel != nil && rel.Prerelease
	if r.j.Prerelease != nil && (rel == nil || !immutable(rel)) {
		pre = *r.j.Prerelease
	}
	c := decideLatest(r.j.Tag, pre, all)
	r.latestNote = fmt.Sprintf("%s chose %s: %s", r.j.Words.Set("make_latest", "semver"), c.value, c.reason)
	if r.j.DryRun {
		r.p.Log.Infof("dry run: %s", r.latestNote)
	} else {
		r.p.Log.Infof("%s", r.latestNote)
	}
	return c, nil
}

// logPrereleaseAuto says what prerelease: auto made of the tag.
func (r *run) logPrereleaseAuto() {
	if !r.j.PrereleaseAuto || r.j.Prerelease == nil {
		return
	}
	prefix, would := "", "will"
	if r.j.DryRun {
		prefix, would = "dry run: ", "would"
	}
	if *r.j.Prerelease {
		r.p.Log.Infof("%sprerelease auto: %s has the SemVer pre-release part %q, so the release %s be a prerelease", prefix, r.j.Tag, core.PreReleasePart(r.j.Tag), would)
	} else {
		r.p.Log.Infof("%sprerelease auto: %s has no SemVer pre-release part, so the release %s not be a prerelease", prefix, r.j.Tag, would)
	}
}
