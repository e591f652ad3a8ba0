package core

import (
	"strings"

	"golang.org/x/mod/semver"
)

// SemVer returns tag as a SemVer version with a leading "v", and whether tag is
// one: MAJOR.MINOR.PATCH with an optional pre-release and build part, with or
// without a leading "v". golang.org/x/mod/semver also takes the shorthands v1
// and v1.2, which are not SemVer and so are refused here.
func SemVer(tag string) (string, bool) {
	v := tag
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	if !semver.IsValid(v) {
		return "", false
	}
	core := v
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		core = core[:i]
	}
	if strings.Count(core, ".") != 2 {
		return "", false
	}
	return v, true
}

// PreReleasePart returns the SemVer pre-release part of tag without its "-"
// ("rc.1" for v2.0.0-rc.1), or "" when tag is not SemVer or has none.
func PreReleasePart(tag string) string {
	v, ok := SemVer(tag)
	if !ok {
		return ""
	}
	return strings.TrimPrefix(semver.Prerelease(v), "-")
}

// CompareSemVer orders two SemVer tags as SemVer does (build metadata ignored);
// both must be SemVer by SemVer.
func CompareSemVer(a, b string) int {
	va, _ := SemVer(a)
	vb, _ := SemVer(b)
	return semver.Compare(va, vb)
}

// SplitVersion splits tag into the prefix before its version and the version:
// the longest suffix of tag that is SemVer by SemVer (a leading "v" or none).
// "api/v1.2.0" is "api/" and "v1.2.0", "api-v2.0.0-rc.1" is "api-" and
// "v2.0.0-rc.1", "v1.2.0" is "" and "v1.2.0"; ok is false when no suffix of
// tag is SemVer ("nightly", "api/v2").
func SplitVersion(tag string) (prefix, version string, ok bool) {
	for i := range len(tag) {
		if _, ok := SemVer(tag[i:]); ok {
			return tag[:i], tag[i:], true
		}
	}
	return "", "", false
}

// HasPrefixVersion reports whether tag is prefix followed by a SemVer version
// (a leading "v" or none): the one rule for which tags belong to a component.
// "api-" takes api-v1.0.0 and api-1.0.0, never api-web-v1.0.0 or api-v2.
func HasPrefixVersion(tag, prefix string) bool {
	rest, ok := strings.CutPrefix(tag, prefix)
	if !ok {
		return false
	}
	_, ok = SemVer(rest)
	return ok
}
