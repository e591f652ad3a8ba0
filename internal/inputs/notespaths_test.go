package inputs

import (
	"slices"
	"strings"
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
			m := map[string]string{"INPUT_TOKEN": "t", "GITHUB_REPOSITORY": "o/r", "INPUT_TAG": "v1.0.0", "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": "/o",
				"INPUT_NOTES_PATHS": tc.value, "INPUT_GENERATE_RELEASE_NOTES": "true"}
			if tc.noNotes {
				delete(m, "INPUT_GENERATE_RELEASE_NOTES")
			}
			c, err := ParseAll(env(m))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.NotesPaths, tc.want) {
				t.Errorf("patterns %q, want %q", c.NotesPaths, tc.want)
			}
		})
	}
}
