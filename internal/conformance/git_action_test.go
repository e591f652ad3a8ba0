package conformance

import (
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
)

// TestActionGitTrafficConforms drives the action's git traffic through the
// validator: a rolling tag read, compared, moved and read back, a stale run,
// and an annotated tag with a slash in its name read for its message.
func TestActionGitTrafficConforms(t *testing.T) {
	t.Parallel()
	for _, d := range descriptions {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, d.name, emulator.Options{Layout: d.layout})
			g := r.Emu.Git()
			c1, c2 := emulator.CommitSHA("one"), emulator.CommitSHA("two")
			g.SeedCommit(testRepo, c1, emulator.InitialCommit(testRepo))
			g.SeedCommit(testRepo, c2, c1)
			r.Write("dist/app.zip", "build")
			nightly := func(sha string) {
				r.run(map[string]string{"tag": "nightly", "files": "dist/*", "move_tag": "true", "GITHUB_SHA": sha})
			}
			nightly(c1)
			r.since()
			nightly(c2)
			ops := r.since()
			compares := ops["repos/compare-commits"] + ops["repos/compare-commits-with-basehead"]
			if ops["git/get-ref"] < 2 || ops["git/update-ref"] != 1 || compares != 1 {
				t.Errorf("rolling run: validated %v", ops)
			}
			if got, _ := g.TagCommit(testRepo, "nightly"); got != c2 {
				t.Errorf("nightly is on %s, want %s", got, c2)
			}
			nightly(c1)
			r.expectWrites("stale run")

			g.SeedAnnotatedTag(testRepo, "tools/v1.2.0", c2, "Tools 1.2.0\n")
			r.Write("CHANGELOG.md", "## tools/v1.2.0\n\n- tools\n")
			r.run(map[string]string{"tag": "tools/v1.2.0", "body_from_tag": "true", "body_from_changelog": "CHANGELOG.md"})
			if ops := r.since(); ops["git/get-ref"] != 1 || ops["git/get-tag"] != 1 {
				t.Errorf("annotated tag: validated %v", ops)
			}
			if rel := r.Emu.Releases(testRepo)[0]; !strings.Contains(rel.Body, "Tools 1.2.0") {
				t.Errorf("body %q", rel.Body)
			}
		})
	}
}
