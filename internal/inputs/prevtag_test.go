package inputs

import (
	"testing"
)

// TestPreviousTagPrefixInput: auto derives the prefix, a given one must fit
// the tag, and the input goes with generated notes only, never with
// previous_tag.
func TestPreviousTagPrefixInput(t *testing.T) {
	t.Parallel()
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
			c := parseNotes(t, map[string]string{"INPUT_TAG": tc.tag, "INPUT_PREVIOUS_TAG_PREFIX": tc.value, "INPUT_PREVIOUS_TAG": tc.previous}, tc.notes, tc.err)
			if c != nil && (!c.PreviousTagByPrefix || c.PreviousTagPrefix != tc.prefix) {
				t.Errorf("by prefix %v, prefix %q; want %q", c.PreviousTagByPrefix, c.PreviousTagPrefix, tc.prefix)
			}
		})
	}
}
