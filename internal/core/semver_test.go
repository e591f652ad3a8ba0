package core

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSemVer: a leading v is optional; the shorthands x/mod/semver accepts
// (v1, v1.2) and anything else that is not MAJOR.MINOR.PATCH are refused.
func TestSemVer(t *testing.T) {
	for tag, want := range map[string]bool{
		"v1.2.3": true, "1.2.3": true, "v1.2.3-rc.1": true, "1.0.0-alpha+001": true, "v1.2.3+build-7": true,
		"v1": false, "v1.2": false, "1.2": false, "nightly": false, "v1.2.3.4": false, "v01.2.3": false, "": false, "vv1.2.3": false,
		"release-1.2.3": false, "V1.2.3": false,
	} {
		if _, got := SemVer(tag); got != want {
			t.Errorf("SemVer(%q) = %v, want %v", tag, got, want)
		}
	}
}

// TestPreReleasePart: generated versions with and without a pre-release and a
// build part (whose "-" is no pre-release part), with and without a leading v.
func TestPreReleasePart(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 23))
	pres := []string{"", "rc.1", "alpha", "beta.2", "0.3.7", "x-y-z"}
	builds := []string{"", "build-1", "20260101", "sha.5114f85"}
	for range 500 {
		pre, build := pres[rng.IntN(len(pres))], builds[rng.IntN(len(builds))]
		tag := fmt.Sprintf("%d.%d.%d", rng.IntN(20), rng.IntN(20), rng.IntN(20))
		if rng.IntN(2) == 0 {
			tag = "v" + tag
		}
		if pre != "" {
			tag += "-" + pre
		}
		if build != "" {
			tag += "+" + build
		}
		if got := PreReleasePart(tag); got != pre {
			t.Fatalf("PreReleasePart(%q) = %q, want %q", tag, got, pre)
		}
	}
}

// TestSplitVersion: the prefix and the version of the tags people write.
func TestSplitVersion(t *testing.T) {
	t.Parallel()
	for tag, want := range map[string][2]string{
		"api/v1.2.0":       {"api/", "v1.2.0"},
		"api-v2.0.0-rc.1":  {"api-", "v2.0.0-rc.1"},
		"web-2.1.0+b.7":    {"web-", "2.1.0+b.7"},
		"v1.2.0":           {"", "v1.2.0"},
		"1.2.0":            {"", "1.2.0"},
		"tools/cli/v0.1.0": {"tools/cli/", "v0.1.0"},
		"app2-v10.0.0":     {"app2-", "v10.0.0"},
	} {
		p, v, ok := SplitVersion(tag)
		if !ok || p != want[0] || v != want[1] {
			t.Errorf("SplitVersion(%q) = %q, %q, %v; want %q, %q", tag, p, v, ok, want[0], want[1])
		}
	}
	for _, tag := range []string{"nightly", "api/v2", "api/v1.2", "v1.2.3.4x", ""} {
		if p, v, ok := SplitVersion(tag); ok {
			t.Errorf("SplitVersion(%q) = %q, %q: it has no SemVer version", tag, p, v)
		}
	}
}

// TestSplitVersionGenerated: for generated prefixes and versions, the derived
// prefix is one HasPrefixVersion accepts for the tag, it is never longer than
// the prefix the tag was made from, and another component's tag (the prefix
// with more in front of the version) never belongs to it.
func TestSplitVersionGenerated(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(23, 5))
	alphabet := "abv09-/._"
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		prefix := b.String()
		version := fmt.Sprintf("%d.%d.%d", rng.IntN(20), rng.IntN(20), rng.IntN(20))
		if rng.IntN(3) == 0 {
			version += "-rc." + fmt.Sprint(rng.IntN(5))
		}
		if rng.IntN(2) == 0 {
			version = "v" + version
		}
		tag := prefix + version
		p, v, ok := SplitVersion(tag)
		if !ok || p+v != tag || !HasPrefixVersion(tag, p) || len(p) > len(prefix) {
			t.Fatalf("SplitVersion(%q) = %q, %q, %v", tag, p, v, ok)
		}
		if other := p + "web-" + version; HasPrefixVersion(other, p) {
			t.Fatalf("%q belongs to prefix %q", other, p)
		}
	}
}
