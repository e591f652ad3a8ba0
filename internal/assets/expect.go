package assets

import (
	"fmt"
	"path"
	"strings"
)

// Expected is one entry of expected_assets: an asset name, or a pattern of
// asset names with * (any run of characters) and ? (one character), matched
// against the names GitHub stores (GitHubName).
type Expected struct {
	Entry   string // as the user wrote it, for messages
	Pattern string // what is matched: the name as GitHub stores it, or the pattern
}

// Wildcards are the characters that make an expected entry a pattern.
const Wildcards = "*?"

// ParseExpected checks one expected_assets entry. The invariant it keeps: an
// accepted entry matches at least one name GitHub can store, so a release can
// always be completed. A plain name is taken as the file name a job uploads and
// predicted with GitHubName ("my app.zip" expects "my.app.zip"). A pattern is
// matched against the stored names as written: it is accepted only when putting
// "a" in place of every wildcard gives a name GitHub stores unchanged, which is
// so exactly when some name it matches is one (an "a" is never renamed, never
// makes a run of dots, and never starts or ends a name with a dot; see
// TestExpectedPatternInvariant).
func ParseExpected(entry string) (Expected, error) {
	switch {
	case entry == "":
		return Expected{}, fmt.Errorf("an empty entry")
	case strings.Contains(entry, "/") || strings.Contains(entry, `\`):
		return Expected{}, fmt.Errorf("%q holds a path separator; name the asset (GitHub stores file names, never directories)", entry)
	}
	if !strings.ContainsAny(entry, Wildcards) {
		return Expected{Entry: entry, Pattern: GitHubName(entry)}, nil
	}
	witness := Witness(entry)
	if stored := GitHubName(witness); stored != witness {
		return Expected{}, fmt.Errorf("%q can never match an asset name: GitHub stores a name like %q as %q (only letters, digits, '.', '_', '+' and '-' survive, with no leading, trailing or doubled '.'); write the pattern as GitHub stores the names", entry, witness, stored)
	}
	if ok, err := path.Match(entry, witness); err != nil || !ok {
		return Expected{}, fmt.Errorf("%q is not a valid pattern", entry)
	}
	return Expected{Entry: entry, Pattern: entry}, nil
}

// Witness is pattern with every wildcard replaced by "a": a name it matches.
func Witness(pattern string) string {
	var b strings.Builder
	for _, r := range pattern {
		if strings.ContainsRune(Wildcards, r) {
			b.WriteByte('a')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Match reports whether the asset name (as GitHub stores it) is one e expects.
func (e Expected) Match(name string) bool {
	if !strings.ContainsAny(e.Pattern, Wildcards) {
		return name == e.Pattern
	}
	ok, _ := path.Match(e.Pattern, name)
	return ok
}
