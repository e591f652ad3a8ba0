package inputs

import (
	"math/rand/v2"
	"path"
	"strings"
	"testing"
)

// TestChannelRefusals: every combination that could delete more than meant
// fails before any request, with a message naming the input.
func TestChannelRefusals(t *testing.T) {
	t.Parallel()
	base := with(minimal(), "INPUT_TAG", "nightly-42")
	for _, tc := range []struct {
		name string
		kv   []string
		want string // in the error
	}{
		{"count without glob", []string{"INPUT_KEEP_LATEST", "3"}, `input "keep_latest" needs "prune_tags"`},
		{"glob without count", []string{"INPUT_PRUNE_TAGS", "nightly-*"}, `input "prune_tags" needs "keep_latest"`},
		{"keep none", []string{"INPUT_PRUNE_TAGS", "nightly-*", "INPUT_KEEP_LATEST", "0"}, `input "keep_latest": "0" is not a whole number of at least 1`},
		{"negative", []string{"INPUT_PRUNE_TAGS", "nightly-*", "INPUT_KEEP_LATEST", "-2"}, `input "keep_latest"`},
		{"not a number", []string{"INPUT_PRUNE_TAGS", "nightly-*", "INPUT_KEEP_LATEST", "all"}, `input "keep_latest"`},
		{"other channel", []string{"INPUT_PRUNE_TAGS", "beta-*", "INPUT_KEEP_LATEST", "3"}, `does not match the tag being published`},
		{"no wildcard", []string{"INPUT_PRUNE_TAGS", "nightly-42", "INPUT_KEEP_LATEST", "3"}, `has no wildcard`},
		{"every tag", []string{"INPUT_PRUNE_TAGS", "*", "INPUT_KEEP_LATEST", "3"}, `matches every tag`},
		{"bad glob", []string{"INPUT_PRUNE_TAGS", "nightly-[", "INPUT_KEEP_LATEST", "3"}, `not a valid glob`},
		{"draft", []string{"INPUT_PRUNE_TAGS", "nightly-*", "INPUT_KEEP_LATEST", "3", "INPUT_DRAFT", "true"}, `publishes nothing`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := ParseAll(env(with(base, tc.kv...)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if cfg.PruneTags != "" {
				t.Errorf("a refused channel still set PruneTags %q", cfg.PruneTags)
			}
		})
	}
	// In a terminal, the flags name them.
	_, err := ParseAll(env(with(base, "GITHUB_ACTIONS", "", "INPUT_PRUNE_TAGS", "nightly-*")))
	if err == nil || !strings.Contains(err.Error(), "--prune-tags needs --keep-latest") {
		t.Errorf("terminal: %v", err)
	}
	cfg, err := ParseAll(env(with(base, "INPUT_PRUNE_TAGS", "nightly-*", "INPUT_KEEP_LATEST", "3")))
	if err != nil || cfg.PruneTags != "nightly-*" || cfg.KeepLatest != 3 {
		t.Fatalf("a valid channel: %v, %q %d", err, cfg.PruneTags, cfg.KeepLatest)
	}
}

// TestChannelInvariantGenerated: whatever the tag and the glob, an accepted
// channel has a glob with a wildcard that matches the tag being published,
// and a count of at least one.
func TestChannelInvariantGenerated(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(20, 2))
	pieces := []string{"nightly", "-", "v", "1", ".", "/", "*", "?", "[0-9]", "beta", "x"}
	gen := func(n int, tagOnly bool) string {
		var b strings.Builder
		for range 1 + rng.IntN(n) {
			p := pieces[rng.IntN(len(pieces))]
			if tagOnly && strings.ContainsAny(p, "*?[") {
				p = "n"
			}
			b.WriteString(p)
		}
		return b.String()
	}
	accepted := 0
	for range 5000 {
		tag, glob := gen(5, true), gen(4, false)
		if rng.IntN(2) == 0 {
			// Often a glob made from the tag: a prefix and a wildcard, so
			// that many cases get past the match and reach the other rules.
			glob = tag[:rng.IntN(len(tag)+1)] + []string{"*", "?", "[0-9]", ""}[rng.IntN(4)]
		}
		keep := []string{"", "0", "1", "2", "-1", "x"}[rng.IntN(6)]
		cfg, err := ParseAll(env(with(minimal(), "INPUT_TAG", tag, "INPUT_PRUNE_TAGS", glob, "INPUT_KEEP_LATEST", keep)))
		if err != nil {
			if cfg.PruneTags != "" {
				t.Fatalf("tag %q glob %q keep %q: refused yet PruneTags %q", tag, glob, keep, cfg.PruneTags)
			}
			continue
		}
		if cfg.PruneTags == "" {
			if glob != "" || keep != "" {
				t.Fatalf("tag %q glob %q keep %q: accepted, yet no channel", tag, glob, keep)
			}
			continue
		}
		accepted++
		ok, _ := path.Match(cfg.PruneTags, cfg.Tag)
		if !ok || !strings.ContainsAny(cfg.PruneTags, "*?[") || cfg.KeepLatest < 1 {
			t.Fatalf("tag %q glob %q keep %q accepted as %q/%d", tag, glob, keep, cfg.PruneTags, cfg.KeepLatest)
		}
	}
	t.Logf("%d of 5000 generated channels accepted", accepted)
	if accepted == 0 {
		t.Fatal("no generated case was accepted: the generator proves nothing")
	}
}
