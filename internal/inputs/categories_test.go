package inputs

import (
	"slices"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

// TestNotesCategoriesInput: conventional, a list completed with the breaking
// and the other group, and the refusals (without generated notes, with
// notes_config, a malformed item, a type twice).
func TestNotesCategoriesInput(t *testing.T) {
	t.Parallel()
	br, other := core.ConventionalCategories()[0], core.ConventionalCategories()[5]
	for name, tc := range map[string]struct {
		value, config string
		noNotes       bool
		want          []core.NoteCategory
		err           string
	}{
		"conventional": {value: "Conventional", want: core.ConventionalCategories()},
		"list": {value: "feat=Features, Fix=Bug fixes\nperf = Faster", want: []core.NoteCategory{
			br, {Type: "feat", Heading: "Features"}, {Type: "fix", Heading: "Bug fixes"}, {Type: "perf", Heading: "Faster"}, other}},
		"own breaking and rest": {value: "*=Misc, feat=New, !=Careful", want: []core.NoteCategory{
			{Type: "*", Heading: "Misc"}, {Type: "feat", Heading: "New"}, {Type: "!", Heading: "Careful"}}},
		"shared heading":     {value: "chore=Upkeep, ci=Upkeep", want: []core.NoteCategory{br, {Type: "chore", Heading: "Upkeep"}, {Type: "ci", Heading: "Upkeep"}, other}},
		"without notes":      {value: "conventional", noNotes: true, err: "is only used with generate_release_notes: true"},
		"with config":        {value: "conventional", config: ".github/release.yml", err: `inputs "notes_config" and "notes_categories" are both set`},
		"no heading":         {value: "feat=, fix=Fixes", err: `"feat=" is not TYPE=HEADING`},
		"not a type":         {value: "feat(api)=API", err: `"feat(api)" is not a Conventional-Commit type`},
		"twice":              {value: "feat=A, FEAT=B", err: `type "feat" is given twice`},
		"nothing but commas": {value: ", ,", err: "no categories given"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := parseNotes(t, map[string]string{"INPUT_NOTES_CATEGORIES": tc.value, "INPUT_NOTES_CONFIG": tc.config}, !tc.noNotes, tc.err)
			if c != nil && !slices.Equal(c.NotesCategories, tc.want) {
				t.Errorf("categories %v, want %v", c.NotesCategories, tc.want)
			}
		})
	}
}
