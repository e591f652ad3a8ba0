package inputs

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

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

// TestPreviousTagPrefixInput: auto derives the prefix, a given one must fit
// the tag, and the input goes with generated notes only, never with
// previous_tag.
func TestPreviousTagPrefixInput(t *testing.T) {
	t.Parallel()
	base := map[string]string{"INPUT_TOKEN": "t", "GITHUB_REPOSITORY": "o/r", "INPUT_GENERATE_RELEASE_NOTES": "true"}
	for name, tc := range map[string]struct {
		tag, value, previous string
		notes                bool
		prefix, err          string
	}{
		"auto, slash":          {tag: "api/v1.2.0", value: "auto", notes: true, prefix: "api/"},
		"auto, plain version":  {tag: "v1.2.0", value: "auto", notes: true, prefix: ""},
		"given":                {tag: "api-v1.2.0", value: "api-v", notes: true, prefix: "api-v"},
		"auto, no version":     {tag: "nightly", value: "auto", notes: true, err: "does not end in a SemVer version"},
		"given, not the tag's": {tag: "api/v1.2.0", value: "web/", notes: true, err: `is not "web/" followed by a SemVer version`},
		"without notes":        {tag: "api/v1.2.0", value: "auto", err: `is only used with generate_release_notes: true`},
		"with previous_tag":    {tag: "api/v1.2.0", value: "auto", notes: true, previous: "api/v1.1.0", err: `inputs "previous_tag" and "previous_tag_prefix" are both set`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := map[string]string{"INPUT_TAG": tc.tag, "INPUT_PREVIOUS_TAG_PREFIX": tc.value, "INPUT_PREVIOUS_TAG": tc.previous, "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": "/o"}
			for k, v := range base {
				m[k] = v
			}
			if !tc.notes {
				delete(m, "INPUT_GENERATE_RELEASE_NOTES")
			}
			c, err := Parse(env(m))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.PreviousTagByPrefix || c.PreviousTagPrefix != tc.prefix {
				t.Errorf("by prefix %v, prefix %q; want %q", c.PreviousTagByPrefix, c.PreviousTagPrefix, tc.prefix)
			}
		})
	}
}
