package publish

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestDecideLatestGenerated: over generated repositories, make_latest: semver
// chooses true exactly when the tag's version is above every other published,
// non-prerelease SemVer release's, compared here as plain numbers (an oracle
// that shares no code with the semver package); legacy exactly when the tag is
// not SemVer; false for a prerelease whatever the versions.
func TestDecideLatestGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type ver [3]int
	format := func(v ver) string {
		s := fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2])
		if rng.IntN(2) == 0 {
			s = "v" + s
		}
		if rng.IntN(4) == 0 {
			s += fmt.Sprintf("+build.%d", rng.IntN(9))
		}
		return s
	}
	less := func(a, b ver) bool {
		for i := range a {
			if a[i] != b[i] {
				return a[i] < b[i]
			}
		}
		return false
	}
	random := func() ver { return ver{rng.IntN(3), rng.IntN(3), rng.IntN(3)} }
	for i := range 2000 {
		var all []*Release
		for n := rng.IntN(6); n > 0; n-- {
			rel := &Release{ID: int64(n), Draft: rng.IntN(5) == 0, Prerelease: rng.IntN(5) == 0}
			if rng.IntN(5) == 0 {
				rel.TagName = fmt.Sprintf("nightly-%d", rng.IntN(100))
			} else {
				rel.TagName = format(random())
			}
			all = append(all, rel)
		}
		pre := rng.IntN(4) == 0
		var tag, want string
		switch v := random(); {
		case rng.IntN(6) == 0:
			tag, want = "release-"+fmt.Sprint(i), "legacy"
		default:
			tag = format(v)
			// A release with this very tag is this release: drop any.
			kept := all[:0]
			for _, rel := range all {
				if rel.TagName != tag {
					kept = append(kept, rel)
				}
			}
			all = kept
			var highest *ver
			for _, rel := range all {
				var w ver
				if _, err := fmt.Sscanf(trimV(rel.TagName), "%d.%d.%d", &w[0], &w[1], &w[2]); err != nil || rel.Draft || rel.Prerelease {
					continue
				}
				if highest == nil || less(*highest, w) {
					highest = &w
				}
			}
			if highest == nil || less(*highest, v) {
				want = "true"
			} else {
				want = "false"
			}
		}
		if pre {
			want = "false"
		}
		if got := decideLatest(tag, pre, all); got.value != want || got.reason == "" {
			var tags []string
			for _, rel := range all {
				tags = append(tags, fmt.Sprintf("%s(draft %v, pre %v)", rel.TagName, rel.Draft, rel.Prerelease))
			}
			t.Fatalf("decideLatest(%q, prerelease %v, %v) = %+v, want %s", tag, pre, tags, got, want)
		}
	}
}

func trimV(s string) string {
	if len(s) > 0 && s[0] == 'v' {
		return s[1:]
	}
	return s
}
