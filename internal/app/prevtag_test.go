package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestPreviousTagByPrefix: in a monorepo whose latest release is another
// component's, previous_tag_prefix: auto makes the generated notes of
// api/v1.2.0 start at api/v1.1.0 (not web/v3.1.0, GitHub's choice, nor the
// release candidate, nor api-v9.0.0 of another prefix); a dry run names the
// tag it would start from; the first release of a component warns and lets
// GitHub choose.
func TestPreviousTagByPrefix(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var asked []string // previous_tag_name of every generate-notes request
	h := actiontest.New(t, actiontest.Config{Wrap: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/releases/generate-notes") {
				var body struct {
					Previous string `json:"previous_tag_name"`
				}
				raw, err := io.ReadAll(r.Body)
				if err != nil || json.Unmarshal(raw, &body) != nil {
					t.Errorf("generate-notes body %q: %v", raw, err)
				}
				r.Body = io.NopCloser(bytes.NewReader(raw))
				mu.Lock()
				asked = append(asked, body.Previous)
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	}})
	root := emulator.InitialCommit(actiontest.Repo)
	for _, tag := range []string{"api/v1.0.0", "api/v1.1.0", "api/v1.2.0-rc.1", "api-v9.0.0", "api/v2.0.0"} {
		h.Emu.Git().SeedTag(actiontest.Repo, tag, root)
	}
	h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "web/v3.1.0"})
	in := map[string]string{"tag": "api/v1.2.0", "generate_release_notes": "true", "previous_tag_prefix": "auto"}

	dry := mustRun(t, h, with(in, map[string]string{"dry_run": "true"}))
	want := "the generated notes start from api/v1.1.0, the highest version below api/v1.2.0 among the 4 tags that are \"api/\" followed by a version"
	if !strings.Contains(dry.Stdout, want) || !strings.Contains(dry.Summary, "Previous tag:") || !strings.Contains(dry.Summary, "api/v1.1.0") {
		t.Errorf("the dry run does not name the previous tag:\n%s\n%s", dry.Stdout, dry.Summary)
	}

	mustRun(t, h, in)
	if body := h.Only("api/v1.2.0").Body; !strings.Contains(body, "/compare/api/v1.1.0...api/v1.2.0") {
		t.Errorf("the generated notes do not start at api/v1.1.0:\n%s", body)
	}

	r := mustRun(t, h, map[string]string{"tag": "mobile/v1.0.0", "generate_release_notes": "true", "previous_tag_prefix": "mobile/"})
	if !strings.Contains(r.Stdout, "::warning::no tag below mobile/v1.0.0 among the tags that are \"mobile/\" followed by a version") {
		t.Errorf("the first release of a component does not warn:\n%s", r.Stdout)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"api/v1.1.0", "api/v1.1.0", ""}; strings.Join(asked, ",") != strings.Join(want, ",") {
		t.Errorf("previous_tag_name sent %q, want %q", asked, want)
	}
}
