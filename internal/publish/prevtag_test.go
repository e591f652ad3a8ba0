package publish

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPreviousByPrefixGenerated: over generated monorepos (components api/,
// api-, web/ and bare versions, with prereleases, build parts and tags that
// are not versions), previous_tag_prefix picks exactly the tag an oracle
// picks by comparing the versions as numbers: the highest below the tag's
// among the component's own tags, prereleases passed over for a stable tag,
// ties broken by name; whatever the order of the listing.
func TestPreviousByPrefixGenerated(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(23, 4))
	type ver struct {
		n   [3]int
		pre int // 0: none; else -rc.N with N = pre
	}
	less := func(a, b ver) bool { // SemVer precedence, as numbers
		if a.n != b.n {
			return slices.Compare(a.n[:], b.n[:]) < 0
		}
		return a.pre != 0 && (b.pre == 0 || a.pre < b.pre)
	}
	format := func(prefix string, v ver) string {
		s := fmt.Sprintf("%d.%d.%d", v.n[0], v.n[1], v.n[2])
		if rng.IntN(2) == 0 {
			s = "v" + s
		}
		if v.pre != 0 {
			s += fmt.Sprintf("-rc.%d", v.pre)
		}
		if rng.IntN(5) == 0 {
			s += fmt.Sprintf("+b%d", rng.IntN(3))
		}
		return prefix + s
	}
	random := func() ver {
		v := ver{n: [3]int{rng.IntN(3), rng.IntN(3), rng.IntN(12)}}
		if rng.IntN(3) == 0 {
			v.pre = rng.IntN(3) + 1
		}
		return v
	}
	prefixes := []string{"api/", "api-", "web/", ""}
	for i := range 3000 {
		prefix := prefixes[rng.IntN(len(prefixes))]
		own := random()
		tag := format(prefix, own)
		type cand struct {
			name string
			v    ver
		}
		var tags []string
		var mine []cand
		for range rng.IntN(12) {
			p := prefixes[rng.IntN(len(prefixes))]
			v := random()
			name := format(p, v)
			if rng.IntN(10) == 0 {
				name = p + "nightly" // not a version
			} else if p == prefix && name != tag {
				mine = append(mine, cand{name, v})
			}
			if name != tag {
				tags = append(tags, name)
			}
		}
		tags = append(tags, tag) // the tag itself is listed too
		rng.Shuffle(len(tags), func(a, b int) { tags[a], tags[b] = tags[b], tags[a] })

		want, found := "", false
		var best ver
		for _, c := range mine {
			if !less(c.v, own) || own.pre == 0 && c.v.pre != 0 {
				continue
			}
			if !found || less(best, c.v) || !less(c.v, best) && c.name > want {
				want, best, found = c.name, c.v, true
			}
		}
		got, ok := previousByPrefix(tag, prefix, tags)
		if got != want || ok != found {
			t.Fatalf("case %d: tag %s, prefix %q, tags %v: got %q (%v), want %q (%v)", i, tag, prefix, tags, got, ok, want, found)
		}
	}
}
