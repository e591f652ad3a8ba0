package packaging

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// releaseWorkflow is the part of .github/workflows/release.yml the order of a
// release under immutable releases depends on.
type releaseWorkflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
			If   string            `yaml:"if"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestReleaseWorkflowWorksUnderImmutableReleases: under immutable releases a
// published release's tag never moves again, so our own release must
//   - be started by hand, not by a pushed version tag (which it would have to
//     move onto the commit that pins the image and the binaries);
//   - push the version tag once, without force, before anything publishes;
//   - publish with this action (draft first, published last) after that;
//   - move only the major tag (it has no release), and only after the publish.
func TestReleaseWorkflowWorksUnderImmutableReleases(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../.github/workflows/release.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf releaseWorkflow
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	if _, ok := wf.On["workflow_dispatch"]; !ok || len(wf.On) != 1 {
		t.Errorf("on: %v; want workflow_dispatch alone (a pushed version tag would have to move)", wf.On)
	}
	forced := regexp.MustCompile(`git (push|tag)\b[^\n]*(--force|\s-f\b)[^\n]*`)
	message := regexp.MustCompile(`-m "[^"]*"`)
	pushTag := regexp.MustCompile(`git push\b[^\n]*refs/tags/\$TAG\b`)
	pushMajor := regexp.MustCompile(`git push\b[^\n]*refs/tags/\$MAJOR\b`)
	for name, job := range wf.Jobs {
		tagAt, publishAt, majorAt := -1, -1, -1
		for i, s := range job.Steps {
			for _, m := range forced.FindAllString(s.Run, -1) {
				m = message.ReplaceAllString(m, "") // a message may name the version
				if strings.Contains(m, "$TAG") || !strings.Contains(m, "$MAJOR") {
					t.Errorf("job %s, step %q forces something other than the major tag: %s", name, s.Name, m)
				}
			}
			if pushTag.MatchString(s.Run) {
				tagAt = i
			}
			if pushMajor.MatchString(s.Run) {
				majorAt = i
			}
			if s.Uses == "./" || strings.Contains(s.Run, "release-action-linux-amd64") && s.Env["INPUT_TAG"] != "" {
				publishAt = i
				if s.Env["INPUT_DRAFT"] != "" || s.Env["INPUT_MOVE_TAG"] != "" {
					t.Errorf("job %s: the publish sets draft or move_tag: %v", name, s.Env)
				}
			}
		}
		if publishAt < 0 && tagAt < 0 && majorAt < 0 {
			continue
		}
		if !(tagAt >= 0 && tagAt < publishAt && publishAt < majorAt) {
			t.Errorf("job %s: version tag pushed at step %d, publish at %d, major tag at %d; want the tag first, the major tag last", name, tagAt, publishAt, majorAt)
		}
	}
}
