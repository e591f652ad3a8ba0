package notes

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// The notes a run adds to a release that has notes of its own (prepend or
// append) sit between a pair of HTML comments, invisible on the release page:
//
//	<!-- release-action notes 1a2b3c4d5e6f begin: ... -->
//	...this run's notes...
//	<!-- release-action notes 1a2b3c4d5e6f end -->
//
// The id is derived from the tag (MarkerID), so it is the same on every run
// for one release, and a section pasted from another release's notes (another
// id) is only text. A later run rewrites what lies between its pair in place,
// wherever a person moved it, and never adds a second pair; everything outside
// the pair is kept byte for byte.
const (
	markerLead = "<!-- release-action notes "
	beginWord  = " begin"
	endWord    = " end"
	beginHint  = ": added by the release action; text between these two markers is rewritten on every run, text outside them is kept"
	commentEnd = "-->"
)

// MarkerID is the id of the marker pair a run places in the notes of the
// release for tag: the first 12 hexadecimal digits of the tag's sha256. A
// hash rather than the tag itself, because a tag may hold "-->", which would
// end the comment early and show the rest on the page.
func MarkerID(tag string) string {
	sum := sha256.Sum256([]byte(tag))
	return hex.EncodeToString(sum[:6])
}

// Marked returns section between the marker pair of id, as Combine places it.
// Any marker of id inside section is removed first, so that the pair is never
// nested and a later run finds exactly one.
func Marked(section, id string) string {
	section = trimBlankLines(removeMarkers(strings.ReplaceAll(section, "\r\n", "\n"), id))
	begin := markerLead + id + beginWord + beginHint + " " + commentEnd
	end := markerLead + id + endWord + " " + commentEnd
	if section == "" {
		return begin + "\n" + end
	}
	return begin + "\n\n" + section + "\n\n" + end
}

// Outcome says what Combine did with the existing notes.
type Outcome int

const (
	// Added: the existing notes held no marker of the id; the section was
	// put above or below them (or is the whole body, when they were blank).
	Added Outcome = iota
	// Rewritten: the existing notes held exactly one pair, in order; the
	// text between it was replaced in place.
	Rewritten
	// Repaired: the existing notes held markers of the id that do not form
	// one pair (one of them deleted or duplicated by hand, or the pair in
	// the wrong order). Every such marker was removed, all the text around
	// and between them kept, and a new pair added as with Added.
	Repaired
)

// Combine returns the body that holds existing's own text and section between
// the marker pair of id: in place of the pair's old content when existing has
// one well-formed pair, otherwise above existing (below false) or below it
// (below true). It is idempotent: Combine of its own result with the same
// section and id returns that result unchanged. Text of existing outside the
// markers is never lost: only the markers of id themselves, and the text
// between a well-formed pair, are replaced.
func Combine(existing, section, id string, below bool) (string, Outcome) {
	marked := Marked(section, id)
	spans := findMarkers(existing, id)
	if len(spans) == 2 && spans[0].begin && !spans[1].begin {
		return existing[:spans[0].from] + marked + existing[spans[1].to:], Rewritten
	}
	outcome := Added
	if len(spans) > 0 {
		existing, outcome = cut(existing, spans), Repaired
	}
	switch {
	case strings.TrimSpace(existing) == "":
		return marked, outcome
	case below:
		return existing + "\n\n" + marked, outcome
	default:
		return marked + "\n\n" + existing, outcome
	}
}

// span is one marker of an id in a text: [from, to), and whether it begins
// the section.
type span struct {
	from, to int
	begin    bool
}

// findMarkers lists the markers of id in s, in order. A marker runs from its
// lead to the next "-->"; one whose comment a hand edit left unclosed runs to
// the end of its line.
func findMarkers(s, id string) []span {
	lead := markerLead + id
	var out []span
	for at := 0; ; {
		i := strings.Index(s[at:], lead)
		if i < 0 {
			return out
		}
		from := at + i
		rest := s[from+len(lead):]
		begin := strings.HasPrefix(rest, beginWord)
		if !begin && !strings.HasPrefix(rest, endWord) {
			at = from + len(lead) // not a marker of ours: the id is followed by something else
			continue
		}
		to := len(s)
		line := strings.IndexByte(rest, '\n')
		if c := strings.Index(rest, commentEnd); c >= 0 && (line < 0 || c < line) {
			to = from + len(lead) + c + len(commentEnd)
		} else if line >= 0 {
			to = from + len(lead) + line
			if to > from && s[to-1] == '\r' {
				to--
			}
		}
		out = append(out, span{from: from, to: to, begin: begin})
		at = to
	}
}

// cut removes spans from s, each with the line break after it when the marker
// filled its line, so that no empty line is left where it stood.
func cut(s string, spans []span) string {
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		b.WriteString(s[at:sp.from])
		at = sp.to
		lineStart := sp.from == 0 || s[sp.from-1] == '\n'
		if lineStart {
			if strings.HasPrefix(s[at:], "\r\n") {
				at += 2
			} else if strings.HasPrefix(s[at:], "\n") {
				at++
			}
		}
	}
	b.WriteString(s[at:])
	return b.String()
}

// removeMarkers removes every marker of id from s.
func removeMarkers(s, id string) string {
	if spans := findMarkers(s, id); len(spans) > 0 {
		return cut(s, spans)
	}
	return s
}
