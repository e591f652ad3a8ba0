package assets

import (
	"math/rand/v2"
	"path"
	"strings"
	"testing"
)

// TestExpectedPatternInvariant checks ParseExpected's invariant over generated
// entries: an accepted entry matches a name GitHub stores unchanged (for a
// plain name: the name its file is stored under), and a refused one matches
// none of the names its wildcards can stand for, from a set of fillers that
// holds every kind of character GitHub's renaming treats apart.
func TestExpectedPatternInvariant(t *testing.T) {
	t.Parallel()
	alphabet := []string{"a", "Z", "0", ".", "-", "_", "+", " ", "é", "#", "[", "]", "*", "?", "/", "\\"}
	fillers := []string{"", "a", ".", "-", "aa", "a.a", ".a", "a.", "é", " "}
	rng := rand.New(rand.NewPCG(19, 2))
	accepted, refused := 0, 0
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		entry := b.String()
		e, err := ParseExpected(entry)
		if err == nil {
			accepted++
			if !strings.ContainsAny(entry, Wildcards) {
				if e.Pattern != GitHubName(entry) || !e.Match(GitHubName(entry)) {
					t.Fatalf("%q: pattern %q does not expect the stored name %q", entry, e.Pattern, GitHubName(entry))
				}
				continue
			}
			w := Witness(entry)
			if GitHubName(w) != w || !e.Match(w) {
				t.Fatalf("%q accepted, yet its witness %q is not a stored name it matches", entry, w)
			}
			continue
		}
		refused++
		if !strings.ContainsAny(entry, Wildcards) && !strings.ContainsAny(entry, `/\`) {
			t.Fatalf("plain name %q refused: %v", entry, err)
		}
		for _, name := range instances(entry, fillers) {
			if ok, _ := path.Match(entry, name); ok && GitHubName(name) == name && !strings.ContainsAny(entry, `/\`) {
				t.Fatalf("%q refused (%v), yet it matches the stored name %q", entry, err, name)
			}
		}
	}
	if accepted < 1000 || refused < 1000 {
		t.Fatalf("generated %d accepted and %d refused entries; the generator should give both", accepted, refused)
	}
}

// instances fills every wildcard of pattern with each filler, up to 4 wildcards.
func instances(pattern string, fillers []string) []string {
	out := []string{""}
	for _, r := range pattern {
		if !strings.ContainsRune(Wildcards, r) {
			for i := range out {
				out[i] += string(r)
			}
			continue
		}
		if len(out) > 1000 {
			return out[:0]
		}
		var next []string
		for _, prefix := range out {
			for _, f := range fillers {
				if r == '?' && len([]rune(f)) != 1 {
					continue
				}
				next = append(next, prefix+f)
			}
		}
		out = next
	}
	return out
}

func TestExpectedMatch(t *testing.T) {
	t.Parallel()
	cases := []struct {
		entry, name string
		want        bool
	}{
		{"app windows.exe", "app.windows.exe", true},
		{"app windows.exe", "app windows.exe", false},
		{"app-*.tar.gz", "app-linux.tar.gz", true},
		{"app-*.tar.gz", "app-linux.zip", false},
		{"app-?.zip", "app-1.zip", true},
		{"app-?.zip", "app-12.zip", false},
	}
	for _, c := range cases {
		e, err := ParseExpected(c.entry)
		if err != nil {
			t.Fatalf("%q: %v", c.entry, err)
		}
		if got := e.Match(c.name); got != c.want {
			t.Errorf("%q matches %q: %v, want %v", c.entry, c.name, got, c.want)
		}
	}
}
