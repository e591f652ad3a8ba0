package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// OutputsLimit is GitHub's ceiling for the outputs of one job, measured as the
// runner does, in UTF-16 code units. A job over it loses its outputs, so the
// action keeps its own well under it: the other outputs are short, and a job may
// run other steps with outputs of their own.
const OutputsLimit = 1_000_000

// listBudget is what the assets (or plan) list may take of OutputsLimit.
const listBudget = OutputsLimit * 3 / 4

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	if !utf8.ValidString(s) {
		n = len(s) // never under-count bytes that are not UTF-8
	}
	return n
}

// fitList encodes items as a compact JSON array that fits budget UTF-16 units:
// whole entries from the front, as many as fit. It reports how many it kept, so
// the caller can say what was left out; the result is always valid JSON.
func fitList[T any](items []T, budget int) (string, int, error) {
	var b strings.Builder
	b.WriteByte('[')
	size, kept := 2, 0
	for _, it := range items {
		var e bytes.Buffer
		enc := json.NewEncoder(&e)
		enc.SetEscapeHTML(false) // "<" in a label should read as "<" in the workflow
		if err := enc.Encode(it); err != nil {
			return "", 0, err
		}
		entry := strings.TrimSuffix(e.String(), "\n")
		n := utf16Len(entry)
		if kept > 0 {
			n++ // the comma
		}
		if size+n > budget {
			break
		}
		if kept > 0 {
			b.WriteByte(',')
		}
		b.WriteString(entry)
		size += n
		kept++
	}
	b.WriteByte(']')
	return b.String(), kept, nil
}

// cutNote says what an output left out, for the log and the summary.
func cutNote(output string, kept, total int) string {
	return fmt.Sprintf("the %s output lists the first %d of %d entries: GitHub keeps at most 1 MB of a job's outputs; the release page has them all", output, kept, total)
}
