package notes

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCombineShapes: the documented shapes, one by one.
func TestCombineShapes(t *testing.T) {
	t.Parallel()
	id := MarkerID("v1.2.0")
	section := Marked("Run notes.", id)
	for name, tc := range map[string]struct {
		existing string
		below    bool
		want     string
		how      Outcome
	}{
		"new release, prepend": {existing: "", want: section, how: Added},
		"blank notes, append":  {existing: " \r\n\n", below: true, want: section, how: Added},
		"hand notes, prepend":  {existing: "By hand.", want: section + "\n\nBy hand.", how: Added},
		"hand notes, append":   {existing: "By hand.\r\n", below: true, want: "By hand.\r\n\n\n" + section, how: Added},
		"pair moved by hand, rewritten in place": {
			existing: "Top.\r\n" + Marked("Old notes.", id) + "\r\nBottom.",
			want:     "Top.\r\n" + section + "\r\nBottom.", how: Rewritten,
		},
		"inside edited by hand, rewritten": {
			existing: "Top.\n\n" + strings.Replace(Marked("Old notes.", id), "Old", "Edited", 1),
			below:    true,
			want:     "Top.\n\n" + section, how: Rewritten,
		},
		"end marker deleted by hand": {
			existing: "Top.\n" + strings.TrimSuffix(Marked("Old notes.", id), endMarker(id)) + "Bottom.",
			below:    true,
			want:     "Top.\n\nOld notes.\n\nBottom.\n\n" + section, how: Repaired,
		},
		"begin marker deleted by hand": {
			existing: strings.TrimPrefix(Marked("Old notes.", id), beginMarker(id)) + "\nBottom.",
			want:     section + "\n\n\n\nOld notes.\n\nBottom.", how: Repaired,
		},
		"pair in the wrong order": {
			existing: endMarker(id) + "\nmiddle\n" + beginMarker(id) + "\n",
			want:     section + "\n\nmiddle\n", how: Repaired,
		},
		"another release's pair is only text": {
			existing: Marked("Notes of v1.1.0.", MarkerID("v1.1.0")),
			below:    true,
			want:     Marked("Notes of v1.1.0.", MarkerID("v1.1.0")) + "\n\n" + section, how: Added,
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, how := Combine(tc.existing, "Run notes.", id, tc.below)
			if got != tc.want || how != tc.how {
				t.Errorf("Combine(%q) =\n%q (%v)\nwant\n%q (%v)", tc.existing, got, how, tc.want, tc.how)
			}
		})
	}
}

// TestMarkersHideTheTag: a tag may hold "-->", which would end the comment
// early; the id is a hash, so the markers stay comments, and they differ by
// tag.
func TestMarkersHideTheTag(t *testing.T) {
	t.Parallel()
	tag := "v1-->x"
	m := Marked("notes", MarkerID(tag))
	if strings.Contains(m, tag) || strings.Count(m, "-->") != 2 {
		t.Errorf("markers for %q: %q", tag, m)
	}
	if MarkerID("v1") == MarkerID("v2") || MarkerID("v1") != MarkerID("v1") {
		t.Error("MarkerID is not a function of the tag alone")
	}
}

// piece is a part of a generated body: its own text, or one marker of the id
// (whole line), possibly with its hint edited.
type piece struct {
	text   string
	marker int // 0: text; 1: begin; 2: end
}

// genText makes a few lines of text such as a person or a generator writes:
// CRLF or LF line ends, backquotes, comments, "-->", another release's
// markers, markers of the id in the middle of a line.
func genText(rng *rand.Rand, id string) string {
	words := []string{"Fix", "the", "`code`", "<!-- a comment -->", "-->", "<!--", "## Heading", "- item", "*", "ünïcode", "\t", "  ",
		MarkerID("other") + " begin", markerLead + MarkerID("other") + beginWord + " -->", markerLead + id + " middle -->"}
	var b strings.Builder
	for range rng.IntN(4) + 1 {
		for range rng.IntN(6) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		b.WriteString([]string{"\n", "\r\n", "\n\n"}[rng.IntN(3)])
	}
	return b.String()
}

// genBody makes a body of text pieces and, sometimes, markers of id: none, a
// pair, or a damaged set (one missing, doubled, reversed).
func genBody(rng *rand.Rand, id string) []piece {
	var ps []piece
	add := func(m int) {
		line := beginMarker(id)
		if m == 2 {
			line = endMarker(id)
		}
		if rng.IntN(4) == 0 { // a hint edited by hand
			line = strings.Replace(line, " -->", " (edited) -->", 1)
		}
		ps = append(ps, piece{text: line + []string{"\n", "\r\n"}[rng.IntN(2)], marker: m})
	}
	text := func() {
		if rng.IntN(3) > 0 {
			ps = append(ps, piece{text: genText(rng, id)})
		}
	}
	text()
	switch rng.IntN(5) {
	case 0: // no markers
	case 1, 2: // a pair
		add(1)
		text()
		add(2)
	default: // damaged
		for range rng.IntN(4) + 1 {
			add(rng.IntN(2) + 1)
			text()
		}
	}
	text()
	return ps
}

func join(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.text)
	}
	return b.String()
}

// wellFormed reports whether ps holds exactly one begin then one end, and
// the text before and after the pair.
func wellFormed(ps []piece) (before, after string, ok bool) {
	var ms []int
	for i, p := range ps {
		if p.marker != 0 {
			ms = append(ms, i)
		}
	}
	if len(ms) != 2 || ps[ms[0]].marker != 1 || ps[ms[1]].marker != 2 {
		return "", "", false
	}
	// The end marker's line break is after the pair.
	end := ps[ms[1]].text
	end = end[strings.Index(end, commentEnd)+len(commentEnd):]
	return join(ps[:ms[0]]), end + join(ps[ms[1]+1:]), true
}

// handText is the text of ps without its markers.
func handText(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		if p.marker == 0 {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// onePair finds the one pair of id in s, checked without findMarkers: the
// index of its begin and the end of its end marker.
func onePair(t *testing.T, s, id string) (from, to int) {
	t.Helper()
	lead := markerLead + id
	if n, m := strings.Count(s, lead+beginWord), strings.Count(s, lead+endWord); n != 1 || m != 1 {
		t.Fatalf("%d begin and %d end markers in\n%q", n, m, s)
	}
	from, end := strings.Index(s, lead+beginWord), strings.Index(s, lead+endWord)
	if end < from {
		t.Fatalf("end before begin in\n%q", s)
	}
	return from, end + len(endMarker(id))
}

// TestCombineGenerated: over generated bodies, sections and hand edits, the
// properties the notes mode promises:
//   - the result holds exactly one pair of the id, holding the section;
//   - applying the same run twice equals applying it once;
//   - text outside a well-formed pair is kept byte for byte, and otherwise
//     every byte of the body but its markers is kept, above or below the
//     section as asked;
//   - text a person adds outside the pair afterwards survives the next run.
func TestCombineGenerated(t *testing.T) {
	t.Parallel()
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 23))
	for i := range 5000 {
		tag := fmt.Sprintf("v%d.%d.%d", rng.IntN(3), rng.IntN(10), i)
		id := MarkerID(tag)
		body := genBody(rng, id)
		existing := join(body)
		section := join(genBody(rng, id)) // a section may hold markers of the id too
		below := rng.IntN(2) == 0
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d case %d (below %v): existing %q, section %q: %s", seed, i, below, existing, section, fmt.Sprintf(format, args...))
		}

		got, how := Combine(existing, section, id, below)
		from, to := onePair(t, got, id)
		wantInside := trimBlankLines(handTextOf(section, id))
		if inside := got[from:to]; !strings.Contains(inside, wantInside) {
			fail("the pair %q does not hold the section %q", inside, wantInside)
		}

		if again, _ := Combine(got, section, id, below); again != got {
			fail("not idempotent:\n%q\nthen\n%q", got, again)
		}

		if before, after, ok := wellFormed(body); ok {
			if how != Rewritten || got[:from] != before || got[to:] != after {
				fail("a well-formed pair was not rewritten in place: %q (%v)", got, how)
			}
		} else {
			hand := handText(body)
			outside := got[:from] + got[to:]
			switch {
			case strings.TrimSpace(hand) == "":
				if outside != "" {
					fail("blank notes left %q beside the section", outside)
				}
			case below && !strings.HasPrefix(got[:from], hand):
				fail("append lost text: %q does not start with %q", got, hand)
			case !below && !strings.HasSuffix(got[to:], hand):
				fail("prepend lost text: %q does not end with %q", got, hand)
			}
		}

		// A person edits the release: lines added above, below, or at any
		// line break outside the pair. The next run keeps them.
		edit := genText(rng, id)
		var edited string
		switch cuts := lineBreaks(got, from, to); rng.IntN(3) {
		case 0:
			edited = edit + got
		case 1:
			edited = got + "\n" + edit
		default:
			at := cuts[rng.IntN(len(cuts))]
			edited = got[:at] + edit + got[at:]
		}
		eFrom, eTo := onePair(t, edited, id)
		next, how := Combine(edited, "New section.", id, below)
		nFrom, nTo := onePair(t, next, id)
		if how != Rewritten || next[:nFrom] != edited[:eFrom] || next[nTo:] != edited[eTo:] || !strings.Contains(next[nFrom:nTo], "New section.") {
			fail("after the edit %q:\n%q\nbecame\n%q (%v)", edit, edited, next, how)
		}
	}
}

// handTextOf is s without the markers of id, found by the generator's rule
// (whole lines) rather than by the code under test.
func handTextOf(s, id string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(line, markerLead+id+beginWord) && !strings.HasPrefix(line, markerLead+id+endWord) {
			b.WriteString(line)
		}
	}
	return strings.ReplaceAll(b.String(), "\r\n", "\n")
}

// lineBreaks lists the positions just after a line break of s outside
// [from, to), and the ends of s.
func lineBreaks(s string, from, to int) []int {
	out := []int{0, len(s)}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && (i+1 <= from || i >= to) {
			out = append(out, i+1)
		}
	}
	return out
}

func beginMarker(id string) string {
	return markerLead + id + beginWord + beginHint + " " + commentEnd
}

func endMarker(id string) string { return markerLead + id + endWord + " " + commentEnd }
