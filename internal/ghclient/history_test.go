package ghclient

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/publish"
)

// TestHistoryAgainstTheEmulator: a comparison's commits by page with the
// total, a commit's files (a renamed file under both paths), a commit's
// merged pull requests.
func TestHistoryAgainstTheEmulator(t *testing.T) {
	t.Parallel()
	emu := emulator.New(emulator.Options{Token: "t"})
	emu.AddRepo("o/r", false)
	g := emu.Git()
	base, _ := g.MergePull("o/r", "start", "ann", "go.mod")
	g.SeedTag("o/r", "v1", base)
	var shas []string
	for i := range 5 {
		sha, _ := g.MergePull("o/r", "change", "bob", "f"+string(rune('a'+i)))
		shas = append(shas, sha)
	}
	g.SeedRename("o/r", shas[2], "old/name.go", "new/name.go")
	c := loopbackClient(t, emu)
	ctx := context.Background()

	var got []string
	for page := 1; page <= 3; page++ {
		p, total, err := c.CommitsBetween(ctx, "v1", shas[4], page, 2)
		if err != nil || total != 5 {
			t.Fatalf("page %d: total %d, %v", page, total, err)
		}
		got = append(got, p...)
	}
	if !slices.Equal(got, shas) {
		t.Errorf("commits %v, want %v, oldest first", got, shas)
	}
	files, err := c.CommitFiles(ctx, shas[2], 1)
	if err != nil || !slices.Equal(files, []string{"fc", "new/name.go", "old/name.go"}) {
		t.Errorf("files %v, %v", files, err)
	}
	pulls, err := c.MergedPulls(ctx, shas[0])
	if err != nil || !slices.Equal(pulls, []int{2}) {
		t.Errorf("pull requests %v, %v", pulls, err)
	}
}

// TestPagesLongerThanAskedAreRefused: each single-page reader takes a page
// of up to per_page entries and refuses one entry more, naming the reader.
func TestPagesLongerThanAskedAreRefused(t *testing.T) {
	t.Parallel()
	entries := func(n int, entry string) string {
		return "[" + strings.TrimSuffix(strings.Repeat(entry+",", n), ",") + "]"
	}
	for _, tc := range []struct {
		name, route string
		asked       int
		answer      func(n int) string
		read        func(c *Client) error
	}{
		{"compare", "/compare/", 7, func(n int) string {
			return `{"total_commits":9,"commits":` + entries(n, `{"sha":"aa"}`) + `}`
		}, func(c *Client) error { _, _, err := c.CommitsBetween(context.Background(), "a", "b", 1, 7); return err }},
		{"files", "/commits/aa", publish.CommitFilesPerPage, func(n int) string {
			return `{"files":` + entries(n, `{"filename":"x"}`) + `}`
		}, func(c *Client) error { _, err := c.CommitFiles(context.Background(), "aa", 1); return err }},
		{"pulls", "/commits/aa/pulls", pullsPerPage, func(n int) string {
			return entries(n, `{"number":3,"merged_at":"2026-01-01T00:00:00Z"}`)
		}, func(c *Client) error { _, err := c.MergedPulls(context.Background(), "aa"); return err }},
		{"attestations", "/attestations/", 100, func(n int) string {
			return `{"attestations":` + entries(n, `{"id":1,"bundle":{}}`) + `}`
		}, func(c *Client) error { _, err := c.ListAttestations(context.Background(), "sha256:aa", ""); return err }},
	} {
		for _, n := range []int{tc.asked - 1, tc.asked, tc.asked + 1} {
			c := loopbackClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !strings.Contains(r.URL.Path, tc.route) {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tc.answer(n)))
			}))
			if !json.Valid([]byte(tc.answer(n))) {
				t.Fatalf("%s: the test's answer is not JSON", tc.name)
			}
			err := tc.read(c)
			switch {
			case n <= tc.asked && err != nil:
				t.Errorf("%s: %d entries on a page of %d refused: %v", tc.name, n, tc.asked, err)
			case n > tc.asked && (err == nil || !strings.Contains(err.Error(), "GitHub sends at most what per_page asks")):
				t.Errorf("%s: %d entries on a page of %d: %v, want a refusal", tc.name, n, tc.asked, err)
			}
		}
	}
}
