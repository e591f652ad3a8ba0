package inputs

import (
	"slices"
	"testing"
)

// TestNotesPathsInput: patterns split on newlines and on commas outside
// braces, a directory standing for all under it, ./ dropped; refusals name
// notes_paths and say what would be right.
func TestNotesPathsInput(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		value   string
		noNotes bool
		want    []string
		err     string
	}{
		"one":            {value: "api/**", want: []string{"api/**"}},
		"list and brace": {value: "{api,proto}/**, README.md\n./docs/", want: []string{"{api,proto}/**", "README.md", "docs/**"}},
		"without notes":  {value: "api/**", noNotes: true, err: `input "notes_paths" is only used with generate_release_notes: true`},
		"absolute":       {value: "/api/**", err: `input "notes_paths": "/api/**" starts with /; paths in the repository are relative to its root`},
		"bad pattern":    {value: "api/[**", err: `input "notes_paths": "api/[**" is not a valid pattern`},
		"only commas":    {value: " , ,\n", err: `input "notes_paths": no pattern given; use patterns of paths such as "api/**"`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := parseNotes(t, map[string]string{"INPUT_NOTES_PATHS": tc.value}, !tc.noNotes, tc.err)
			if c != nil && !slices.Equal(c.NotesPaths, tc.want) {
				t.Errorf("patterns %q, want %q", c.NotesPaths, tc.want)
			}
		})
	}
}
