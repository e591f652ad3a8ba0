package publish

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/releasekit/release-action/internal/core"
)

// previousByPrefix is the one rule of previous_tag_prefix: among tags, those
// that are prefix followed by a SemVer version (core.HasPrefixVersion), the
// one with the highest version below tag's; a tag that is not a prerelease
// passes over prereleases, so that the notes of api/v1.3.0 start at
// api/v1.2.0 and not at api/v1.3.0-rc.2. Equal versions (api-v1.0.0 and
// api-1.0.0, or two build parts) are told apart by name, so the choice never
// depends on the order of tags. ok is false when no tag qualifies.
func previousByPrefix(tag, prefix string, tags []string) (prev string, ok bool) {
	own := strings.TrimPrefix(tag, prefix)
	stable := core.PreReleasePart(own) == ""
	for _, t := range tags {
		if t == tag || !core.HasPrefixVersion(t, prefix) {
			continue
		}
		v := t[len(prefix):]
		if core.CompareSemVer(v, own) >= 0 || stable && core.PreReleasePart(v) != "" {
			continue
		}
		if !ok {
			prev, ok = t, true
			continue
		}
		if c := core.CompareSemVer(v, prev[len(prefix):]); c > 0 || c == 0 && t > prev {
			prev = t
		}
	}
	return prev, ok
}

// previousTag is the previous_tag_name sent for generated notes: previous_tag
// as given, or the one previous_tag_prefix finds among the repository's tags
// (one listing of the tags that start with the prefix). What it chose is in
// the log and the summary; none found leaves the choice to GitHub, with a
// warning, since GitHub then starts from the latest release of any component.
func (r *run) previousTag(ctx context.Context) (string, error) {
	j, w := r.j, r.j.Words
	if !j.PreviousTagByPrefix {
		return j.PreviousTag, nil
	}
	among, amongOne := "that are versions alone (no prefix)", "that is a version alone (no prefix)"
	if j.PreviousTagPrefix != "" {
		among = "that are " + strconv.Quote(j.PreviousTagPrefix) + " followed by a version"
		amongOne = "that is " + strconv.Quote(j.PreviousTagPrefix) + " followed by a version"
	}
	tags, err := r.p.GH.MatchingTags(ctx, j.PreviousTagPrefix)
	if err != nil {
		return "", fmt.Errorf("list the tags %s (%s): %w", among, w.Input("previous_tag_prefix"), err)
	}
	prev, ok := previousByPrefix(j.Tag, j.PreviousTagPrefix, tags)
	if !ok {
		r.warn("no tag below %s among the tags %s (%s), so GitHub chooses where the generated notes start: its latest release, which may be another component's", j.Tag, among, w.Ref("previous_tag_prefix"))
		return "", nil
	}
	n := countMatching(tags, j.PreviousTagPrefix)
	r.previousTagNote = fmt.Sprintf("the generated notes start from %s, the highest version below %s among the %d tags %s (%s)", prev, j.Tag, n, among, w.Ref("previous_tag_prefix"))
	if n == 1 {
		r.previousTagNote = fmt.Sprintf("the generated notes start from %s, the one tag %s (%s)", prev, amongOne, w.Ref("previous_tag_prefix"))
	}
	r.p.Log.Infof("notes: %s", r.previousTagNote)
	return prev, nil
}

// countMatching counts the tags that are prefix followed by a version.
func countMatching(tags []string, prefix string) int {
	n := 0
	for _, t := range tags {
		if core.HasPrefixVersion(t, prefix) {
			n++
		}
	}
	return n
}
