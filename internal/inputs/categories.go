package inputs

import (
	"regexp"
	"strings"

	"github.com/releasekit/release-action/internal/core"
)

// categoryType is a Conventional-Commit type as a title writes it.
var categoryType = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// notesCategories reads notes_categories: conventional, or a list of
// TYPE=HEADING separated by commas or newlines in the order of the groups,
// where TYPE is a Conventional-Commit type (any case), ! for breaking changes
// or * for the rest. A list without ! gets the breaking changes first under
// "Breaking changes", one without * gets the rest last under "Other changes",
// so that every pull request has a place. It regroups the generated notes, so
// it goes with generate_release_notes only, and not with notes_config, whose
// categories group them too.
func (p *parser) notesCategories(c *Config) {
	v := p.notesInput(c, "notes_categories")
	switch {
	case v == "":
		return
	case c.NotesConfig != "":
		p.fail("%s are both set; both decide how the generated notes are grouped (%s by the pull requests' labels, %s by their titles): use one of them",
			p.words.Inputs("notes_config", "notes_categories"), p.words.Ref("notes_config"), p.words.Ref("notes_categories"))
		return
	}
	if strings.EqualFold(v, core.NotesCategoriesConventional) {
		c.NotesCategories = core.ConventionalCategories()
		return
	}
	var cats []core.NoteCategory
	seen := map[string]bool{}
	bad := false
	for _, item := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '\n' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		typ, heading, ok := strings.Cut(item, "=")
		typ, heading = strings.ToLower(strings.TrimSpace(typ)), strings.TrimSpace(heading)
		switch {
		case !ok || heading == "":
			p.fail("%s: %s is not TYPE=HEADING (such as feat=Features)", p.words.Input("notes_categories"), quote(item))
		case typ != core.CategoryBreaking && typ != core.CategoryOther && !categoryType.MatchString(typ):
			p.fail("%s: %s is not a Conventional-Commit type (a letter, then letters, digits, - or _), nor ! (breaking changes) nor * (the rest)", p.words.Input("notes_categories"), quote(typ))
		case seen[typ]:
			p.fail("%s: type %s is given twice; a pull request goes under one heading", p.words.Input("notes_categories"), quote(typ))
		default:
			seen[typ] = true
			cats = append(cats, core.NoteCategory{Type: typ, Heading: heading})
			continue
		}
		bad = true
	}
	if bad {
		return
	}
	if len(cats) == 0 {
		p.fail("%s: no categories given; use %s or a list such as %s", p.words.Input("notes_categories"), core.NotesCategoriesConventional, quote("feat=Features, fix=Bug fixes, *=Other changes"))
		return
	}
	defaults := core.ConventionalCategories()
	if !seen[core.CategoryBreaking] {
		cats = append([]core.NoteCategory{defaults[0]}, cats...)
	}
	if !seen[core.CategoryOther] {
		cats = append(cats, defaults[len(defaults)-1])
	}
	c.NotesCategories = cats
}
