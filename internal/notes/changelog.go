package notes

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// maxListedHeadings bounds the headings a SectionError quotes, so that a
// changelog with hundreds of versions still gives a readable message.
const maxListedHeadings = 8

// SectionError says that a changelog has no usable section for a tag.
type SectionError struct {
	File     string   // the changelog, as the user named it
	Tag      string   // the tag that was looked for
	Heading  string   // the heading that matched, when Empty
	Empty    bool     // a heading matched, but its section holds no text
	Headings []string // the file's first headings (plain text), when none matched
	More     int      // how many headings were found beyond Headings
}

func (e *SectionError) Error() string {
	if e.Empty {
		return fmt.Sprintf("%s: the section %q for tag %q is empty", e.File, e.Heading, e.Tag)
	}
	if len(e.Headings) == 0 {
		return fmt.Sprintf("%s: no section for tag %q, and the file has no headings", e.File, e.Tag)
	}
	quoted := make([]string, len(e.Headings))
	for i, h := range e.Headings {
		quoted[i] = fmt.Sprintf("%q", h)
	}
	more := ""
	if e.More > 0 {
		more = fmt.Sprintf(" and %d more", e.More)
	}
	return fmt.Sprintf("%s: no section for tag %q; headings found: %s%s", e.File, e.Tag, strings.Join(quoted, ", "), more)
}

// heading is one top-level heading of the changelog.
type heading struct {
	node  *ast.Heading
	level int
	start int    // offset of its first line
	text  string // plain text, links and emphasis removed
	// version: the heading names a release (a version among its first two
	// words), so it ends the section before it whatever its level.
	version bool
}

// ChangelogSection returns the section of a changelog that belongs to tag: the
// text under the matching heading (the heading itself is left out, since the
// release has its own title) up to the next heading of the same or a higher
// level. Link reference definitions the section uses are appended, so its
// links still render when the rest of the file is gone. file only names the
// changelog in errors; a missing or empty section is a *SectionError.
//
// Headings match by the version in them (see matchScore): Keep a Changelog's
// "[1.2.3] - 2026-01-31", release-please's "[1.2.3](url) (2026-01-31)", and
// plain "1.2.3", "v1.2.3 — date" or "pkg-v1.2.3", at any level, ATX or setext.
// When several headings match, the one naming the tag's package wins, then
// the first in the file.
func ChangelogSection(file string, src []byte, tag string) (string, error) {
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	doc := goldmark.DefaultParser().Parse(text.NewReader(src))
	heads := topHeadings(doc, src)
	want := parseRef(tag)

	best, bestScore := -1, 0
	for i, h := range heads {
		if s := want.matchScore(h.text); s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return "", notFound(file, tag, heads)
	}
	h := heads[best]
	end, endNode := len(src), ast.Node(nil)
	if next := sectionEnd(heads, best); next != nil {
		end, endNode = next.start, next.node
	}
	body := sectionText(doc, src, h, end, endNode)
	if strings.TrimSpace(body) == "" {
		return "", &SectionError{File: file, Tag: tag, Heading: h.text, Empty: true}
	}
	return body, nil
}

// sectionEnd returns the heading that ends the section opened by heads[i], or nil
// when it runs to the end of the file. The section ends at the next release (a
// heading naming a version, at any level), at a heading of a higher level, or at
// one of the same level, except in conventional-changelog's style of patch
// releases: "### [1.2.3]" under a file whose releases are "## [1.3.0]" has
// subsections ("### Bug Fixes") at its own level.
func sectionEnd(heads []heading, i int) *heading {
	shallowest := 7 // deeper than any heading
	for _, h := range heads {
		if h.version {
			shallowest = min(shallowest, h.level)
		}
	}
	level := heads[i].level
	for j := i + 1; j < len(heads); j++ {
		next := &heads[j]
		if next.version || next.level < level || (next.level == level && level <= shallowest) {
			return next
		}
	}
	return nil
}

func notFound(file, tag string, heads []heading) error {
	e := &SectionError{File: file, Tag: tag}
	for _, h := range heads {
		if len(e.Headings) == maxListedHeadings {
			e.More++
			continue
		}
		e.Headings = append(e.Headings, h.text)
	}
	return e
}

// topHeadings lists the document's own headings; a heading inside a list item or
// a block quote does not start a changelog section.
func topHeadings(doc ast.Node, src []byte) []heading {
	var out []heading
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		text := plainText(h, src)
		out = append(out, heading{
			node:    h,
			level:   h.Level,
			start:   lineStart(src, blockStart(h)),
			text:    text,
			version: namesVersion(text),
		})
	}
	return out
}

// blockStart is where a block's source begins; goldmark records it for every
// block it opens, and for text blocks it is their first line.
func blockStart(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if l := n.Lines(); l != nil && l.Len() > 0 {
		return l.At(0).Start
	}
	return 0
}

// plainText flattens a heading's inlines: link text without its URL, code spans
// and emphasis without their markers.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// sectionText returns the source between the heading and end, without the
// heading's own lines and without top-level link reference definitions, followed
// by every definition the section's links use.
func sectionText(doc ast.Node, src []byte, h heading, end int, endNode ast.Node) string {
	begin := afterHeading(src, h)
	if begin > end {
		begin = end
	}
	used := map[string]bool{}
	var cut [][2]int // top-level definitions inside the section, dropped from the text
	for n := h.node.NextSibling(); n != nil && n != endNode; n = n.NextSibling() {
		if d, ok := n.(*ast.LinkReferenceDefinition); ok {
			cut = append(cut, lineSpan(src, d))
			continue
		}
		collectLabels(n, used)
	}

	var b strings.Builder
	at := begin
	for _, c := range cut {
		b.Write(src[at:c[0]])
		at = c[1]
	}
	b.Write(src[at:end])
	body := trimBlankLines(b.String())

	defs := usedDefinitions(doc, src, used, begin, end, cut)
	if len(defs) > 0 && body != "" {
		body += "\n\n" + strings.Join(defs, "\n")
	}
	return body
}

// afterHeading is the offset of the line after the heading: for an ATX heading
// the line after "## ...", for a setext heading the line after its underline.
func afterHeading(src []byte, h heading) int {
	lines := h.node.Lines()
	if lines == nil || lines.Len() == 0 {
		return lineEnd(src, h.start)
	}
	last := lineEnd(src, max(lines.At(lines.Len()-1).Stop-1, h.start))
	if isATX(src[h.start:]) {
		return last
	}
	return lineEnd(src, last) // the "===" or "---" line
}

func isATX(line []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(line, " "), []byte("#"))
}

// collectLabels records the normalised labels of the reference links under n.
func collectLabels(n ast.Node, used map[string]bool) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var ref *ast.ReferenceLink
		switch l := c.(type) {
		case *ast.Link:
			ref = l.Reference
		case *ast.Image:
			ref = l.Reference
		}
		if ref != nil {
			used[util.ToLinkReference(ref.Value)] = true
		}
		return ast.WalkContinue, nil
	})
}

// usedDefinitions returns, in file order, the definitions of the used labels
// that the section text does not already hold. As in CommonMark, the first
// definition of a label is the one that counts.
func usedDefinitions(doc ast.Node, src []byte, used map[string]bool, begin, end int, cut [][2]int) []string {
	seen := map[string]bool{}
	var out []string
	_ = ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		d, ok := c.(*ast.LinkReferenceDefinition)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		label := util.ToLinkReference(d.Label)
		if seen[label] || !used[label] {
			return ast.WalkContinue, nil
		}
		seen[label] = true
		span := lineSpan(src, d)
		if span[0] >= begin && span[1] <= end && !inCut(span, cut) {
			return ast.WalkContinue, nil // still in the section's own text
		}
		out = append(out, definitionText(src, d))
		return ast.WalkContinue, nil
	})
	return out
}

func inCut(span [2]int, cut [][2]int) bool {
	for _, c := range cut {
		if c == span {
			return true
		}
	}
	return false
}

// definitionText is a definition as the file wrote it when it stands at the top
// level, or rebuilt from its parts when it sits inside a container (where its
// lines carry the container's markers).
func definitionText(src []byte, d *ast.LinkReferenceDefinition) string {
	if _, top := d.Parent().(*ast.Document); top {
		span := lineSpan(src, d)
		return strings.TrimRight(string(src[span[0]:span[1]]), " \t\n")
	}
	dest := string(d.Destination)
	if dest == "" || strings.ContainsAny(dest, " \t") {
		dest = "<" + dest + ">"
	}
	s := "[" + string(d.Label) + "]: " + dest
	if len(d.Title) > 0 {
		s += ` "` + strings.ReplaceAll(string(d.Title), `"`, `\"`) + `"`
	}
	return s
}

// lineSpan is the whole lines a block covers, newline included.
func lineSpan(src []byte, n ast.Node) [2]int {
	start := lineStart(src, blockStart(n))
	stop := start
	if l := n.Lines(); l != nil && l.Len() > 0 {
		stop = max(l.At(l.Len()-1).Stop-1, start)
	}
	return [2]int{start, lineEnd(src, stop)}
}

// lineStart is the offset of the first byte of the line holding offset i.
func lineStart(src []byte, i int) int {
	i = min(max(i, 0), len(src))
	return bytes.LastIndexByte(src[:i], '\n') + 1
}

// lineEnd is the offset just past the newline ending the line holding offset i
// (len(src) on the last line).
func lineEnd(src []byte, i int) int {
	i = min(max(i, 0), len(src))
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(src)
}

// trimBlankLines drops blank lines at both ends but keeps the first line's
// indentation, which may open an indented code block.
func trimBlankLines(s string) string {
	for {
		line, rest, found := strings.Cut(s, "\n")
		if !found || strings.TrimSpace(line) != "" {
			break
		}
		s = rest
	}
	return strings.TrimRight(s, " \t\n")
}
