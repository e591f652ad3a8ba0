package lies_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/hostile"
)

// TestLiesOfTheHistory: under generated lies on the history notes_paths
// reads (comparisons, a commit's files, a commit's pull requests: counts,
// numbers and types that lie, pages longer than asked, duplicates, refusals,
// gzip bombs, dribbles), every run ends by itself, reads a bounded number of
// answers, and either publishes notes whose every entry is one of GitHub's
// entries for a pull request that changes api/ (a lie may hide one; none of
// these lies can name another, so none may appear) or fails saying why with
// no release made.
func TestLiesOfTheHistory(t *testing.T) {
	t.Parallel()
	var st stats
	st.report(t)
	for _, seed := range seeds(t, 400001, 50) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			t.Parallel()
			historyCase(t, &st, seed, time.Minute)
		})
	}
}

const (
	historyBase = "api/v1.0.0"
	historyTag  = "api/v1.1.0"
	// historyCommits is how many commits the range holds; maxHistoryReads
	// bounds what a run may ask of the history routes: the comparison's
	// pages, and for each of at most 250 commits its files (10 pages at
	// most) and pull requests, with a few retries.
	historyCommits  = 12
	maxHistoryReads = 3 * (4 + 250*11)
)

func historyCase(t *testing.T, st *stats, seed uint64, limit time.Duration) {
	var proxy *hostile.Proxy
	h := actiontest.New(t, actiontest.Config{Wrap: func(next http.Handler) http.Handler {
		proxy = hostile.NewProxy(next)
		return proxy
	}, Timeouts: shortTimeouts})
	t.Cleanup(proxy.Close)
	g := h.Emu.Git()
	first, _ := g.MergePull(actiontest.Repo, "chore: start", "ann", "api/main.go")
	g.SeedTag(actiontest.Repo, historyBase, first)
	var head string
	for i := range historyCommits {
		path := []string{"api/x.go", "web/y.go", "docs/z.md"}[i%3]
		head, _ = g.MergePull(actiontest.Repo, "change "+strconv.Itoa(i)+" of "+path, "dev"+strconv.Itoa(i%4), path)
	}
	g.SeedTag(actiontest.Repo, historyTag, head)
	touch(t, h)
	honest := generatedEntries(t, h)
	if len(honest) != historyCommits {
		t.Fatalf("the emulator's notes list %d entries, want %d", len(honest), historyCommits)
	}

	rules := hostile.GenerateHistory(seed)
	proxy.SetRules(rules...)
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	start := time.Now()
	res := h.RunCtx(ctx, map[string]string{"tag": historyTag, "generate_release_notes": "true", "previous_tag_prefix": "auto", "notes_paths": "api/**"})
	took := time.Since(start)
	st.add(len(proxy.Told()) > 0, res.Code == 0)

	var broken []string
	if took >= limit {
		broken = append(broken, fmt.Sprintf("the run did not end by itself within %s", limit))
	}
	counts := h.Emu.Counts()
	if n := counts[emulator.RouteCompare] + counts[emulator.RouteGetCommit] + counts[emulator.RouteCommitPulls]; n > maxHistoryReads {
		broken = append(broken, fmt.Sprintf("%d requests to the history, more than %d", n, maxHistoryReads))
	}
	rels := h.ReleasesFor(historyTag)
	if res.Code == 0 {
		switch {
		case len(rels) != 1 || rels[0].Draft:
			broken = append(broken, fmt.Sprintf("exit 0 with %d releases for %s (draft: %v)", len(rels), historyTag, len(rels) == 1 && rels[0].Draft))
		default:
			for _, l := range strings.Split(rels[0].Body, "\n") {
				switch {
				case !strings.HasPrefix(l, "* ") || strings.Contains(l, "made their first contribution"):
				case !honest[l]:
					broken = append(broken, "an entry GitHub's notes do not have: "+l)
				case !strings.Contains(l, " of api/"):
					broken = append(broken, "an entry of a pull request that changes nothing under api/: "+l)
				}
			}
			if !strings.Contains(rels[0].Body, "**Full Changelog**") {
				broken = append(broken, "the Full Changelog line is gone")
			}
		}
	} else {
		if errorLine(res.Stdout) == "" {
			broken = append(broken, fmt.Sprintf("exit %d without an ::error:: line that says why", res.Code))
		}
		if len(rels) != 0 {
			broken = append(broken, fmt.Sprintf("a failed run left %d releases for %s", len(rels), historyTag))
		}
	}
	reportBroken(t, seed, "", rules, proxy, res, took, broken)
}

// generatedEntries asks the emulator, past the proxy's rules (none are set
// yet), for the notes of historyTag from historyBase: the set of their
// "* " entry lines.
func generatedEntries(t *testing.T, h *actiontest.Harness) map[string]bool {
	t.Helper()
	body, status := h.APIBody(http.MethodPost, "releases/generate-notes",
		`{"tag_name":"`+historyTag+`","previous_tag_name":"`+historyBase+`"}`)
	if status != http.StatusOK {
		t.Fatalf("generate-notes: %d %s", status, body)
	}
	var notes struct {
		Body string `json:"body"`
	}
	if err := json.Unmarshal(body, &notes); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, l := range strings.Split(notes.Body, "\n") {
		if strings.HasPrefix(l, "* ") && !strings.Contains(l, "made their first contribution") {
			out[l] = true
		}
	}
	return out
}
