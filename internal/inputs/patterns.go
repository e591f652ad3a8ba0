package inputs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/releasekit/release-action/internal/assets"
)

// splitPatterns parses the files input: entries separated by newlines or commas,
// each trimmed, empty ones dropped.
//
//   - A comma inside braces belongs to the pattern, so "dist/*.{tar.gz,zip}" stays
//     one entry; a backslash escapes the character after it, as in doublestar.
//   - A leading "!" makes the entry an exclusion: files it matches are not uploaded.
//   - "path#label" sets the asset's label. The entry is split at its LAST "#", so a
//     file whose name holds "#" is written with a trailing "#" and no label:
//     "notes#1.txt#". A "#" inside a character class is not special-cased.
//   - An exclusion cannot have a label.
//   - "path => name" uploads the file under another name: the entry is split at
//     its first "=>" that no backslash escapes (a file whose name holds "=>" is
//     written "a\=>b"). The name is a name, not a path, and it cannot be an
//     exclusion's; a label comes after it ("path => name#label"). Two entries
//     may not give the same name. That the pattern matches one file only is
//     checked when matching (internal/assets).
//
// Every glob is checked with doublestar.ValidatePattern. All problems are
// returned together, each naming the files input.
//
// The messages name the input as subject says (the run's Vocabulary).
func splitPatterns(s, subject string) ([]assets.Pattern, error) {
	var (
		pats []assets.Pattern
		errs []error
	)
	for _, entry := range splitEntries(s) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		p, err := parsePattern(entry, subject)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pats = append(pats, p)
	}
	errs = append(errs, sameNames(pats, subject)...)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return pats, nil
}

// sameNames reports two entries that give the same asset name: both would be
// uploaded under it, and the second would replace or collide with the first.
func sameNames(pats []assets.Pattern, subject string) []error {
	var errs []error
	first := map[string]string{}
	for _, p := range pats {
		if p.Name == "" {
			continue
		}
		if g, ok := first[p.Name]; ok {
			errs = append(errs, fmt.Errorf("%s: %s and %s both name the asset %s; give each file its own name", subject, quote(g+" => "+p.Name), quote(p.Glob+" => "+p.Name), quote(p.Name)))
			continue
		}
		first[p.Name] = p.Glob
	}
	return errs
}

// cutRename splits s at its first "=>" that no backslash escapes.
func cutRename(s string) (path, name string, found bool) {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++ // the escaped byte is part of the pattern
		case strings.HasPrefix(s[i:], "=>"):
			return s[:i], s[i+2:], true
		}
	}
	return s, "", false
}

// splitEntries splits at newlines, and at commas outside braces.
func splitEntries(s string) []string {
	var (
		out   []string
		depth int
		start int
	)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && s[i+1] != '\n' && s[i+1] != '\r' {
				i++ // the escaped byte is part of the pattern
			}
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth > 0 {
				continue
			}
			out = append(out, s[start:i])
			start = i + 1
		case '\n', '\r':
			// A brace left open by one line must not swallow the next.
			depth = 0
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func parsePattern(entry, subject string) (assets.Pattern, error) {
	var p assets.Pattern
	rest := entry
	if r, ok := strings.CutPrefix(rest, "!"); ok {
		p.Exclude = true
		rest = strings.TrimSpace(r)
	}
	if i := strings.LastIndexByte(rest, '#'); i >= 0 {
		p.Label = strings.TrimSpace(rest[i+1:])
		rest = strings.TrimSpace(rest[:i])
		if p.Exclude && p.Label != "" {
			return assets.Pattern{}, fmt.Errorf("%s: %s excludes files and so cannot have a label; drop the #label", subject, quote(entry))
		}
	}
	if r, name, ok := cutRename(rest); ok {
		rest, p.Name = strings.TrimSpace(r), strings.TrimSpace(name)
		switch {
		case p.Exclude:
			return assets.Pattern{}, fmt.Errorf("%s: %s excludes files and so cannot name an asset; drop the => name", subject, quote(entry))
		case p.Name == "":
			return assets.Pattern{}, fmt.Errorf("%s: %s has no name after =>; write path => name (a file whose name holds => is written with \\=>)", subject, quote(entry))
		case strings.ContainsAny(p.Name, `/\`):
			return assets.Pattern{}, fmt.Errorf("%s: %s gives the asset the name %s, which holds a path separator; an asset's name is a file name, not a path", subject, quote(entry), quote(p.Name))
		}
	}
	if rest == "" {
		return assets.Pattern{}, fmt.Errorf("%s: %s has no path pattern; write path, path#label or path => name", subject, quote(entry))
	}
	if !doublestar.ValidatePattern(rest) {
		return assets.Pattern{}, fmt.Errorf("%s: %s is not a valid glob (check its brackets, braces and escapes)", subject, quote(rest))
	}
	p.Glob = rest
	return p, nil
}

// hasInclude reports whether any pattern selects files to upload.
func hasInclude(pats []assets.Pattern) bool {
	for _, p := range pats {
		if !p.Exclude {
			return true
		}
	}
	return false
}
