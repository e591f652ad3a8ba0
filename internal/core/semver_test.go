package core

import (
	"fmt"
	"math/rand/v2"
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
