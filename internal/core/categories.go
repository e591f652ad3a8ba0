package core

// NoteCategory is one group of notes_categories: the pull requests whose
// titles have the Conventional-Commit type Type go under Heading. Two types
// are not written in titles: CategoryBreaking collects every breaking change
// (a title such as "feat!:" or "fix(api)!:") whatever its type, and
// CategoryOther every entry no other category takes.
type NoteCategory struct {
	Type    string // lower case
	Heading string
}

// The types of NoteCategory that are not Conventional-Commit types.
const (
	CategoryBreaking = "!"
	CategoryOther    = "*"
)

// NotesCategoriesConventional is the value of notes_categories that asks for
// ConventionalCategories.
const NotesCategoriesConventional = "conventional"

// ConventionalCategories are the groups of notes_categories: conventional, in
// their order: breaking changes first, then the types of the Conventional
// Commits specification that change what users get, the rest last.
func ConventionalCategories() []NoteCategory {
	return []NoteCategory{
		{CategoryBreaking, "Breaking changes"},
		{"feat", "Features"},
		{"fix", "Bug fixes"},
		{"perf", "Performance"},
		{"docs", "Documentation"},
		{CategoryOther, "Other changes"},
	}
}
