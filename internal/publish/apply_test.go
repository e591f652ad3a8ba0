package publish

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestReplacementLogsEveryStep: someone reading the log of a replacement sees the
// upload under the temporary name, the old asset's deletion and the rename, in
// that order, and a deletion says why.
func TestReplacementLogsEveryStep(t *testing.T) {
	t.Parallel()
	f := newFake()
	rel := f.seed(Release{TagName: "v1"})
	old := f.seedAsset(rel.ID, "a.zip", "old content")
	f.seedAsset(rel.ID, "stale.txt", "x")
	log := &logLines{}
	p := &Publisher{GH: f, Log: log, TempDir: t.TempDir()}
	j := &Job{Repository: "o/r", Files: files(t, "a.zip", "new")}
	j.Tag, j.Overwrite, j.DeleteOther, j.MaxParallel = "v1", true, true, 1
	if _, err := p.Run(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(log.infos, "\n")
	steps := []string{
		`replace a\.zip: uploading the new content as (a\.zip\.replacing-[0-9a-f]{8}) first`,
		`uploaded (a\.zip\.replacing-[0-9a-f]{8}) \(3 B\)`,
		`replace a\.zip: deleted the old asset \(id ` + strconv.FormatInt(old.ID, 10) + `\)`,
		`replace a\.zip: renamed (a\.zip\.replacing-[0-9a-f]{8}) to a\.zip; replaced`,
	}
	at := 0
	var tmp string
	for _, step := range steps {
		m := regexp.MustCompile(step).FindStringSubmatchIndex(text[at:])
		if m == nil {
			t.Fatalf("the log lacks, after what came before, %q:\n%s", step, text)
		}
		if len(m) > 2 && m[2] >= 0 {
			name := text[at+m[2] : at+m[3]]
			if tmp != "" && name != tmp {
				t.Errorf("temporary name %s, then %s", tmp, name)
			}
			tmp = name
		}
		at += m[1]
	}
	if !strings.Contains(text, "deleted stale.txt (") {
		t.Errorf("the deletion of stale.txt is not logged:\n%s", text)
	}
	if names := f.assetNames(rel.ID); strings.Join(names, ",") != "a.zip" {
		t.Errorf("assets %v, want a.zip alone", names)
	}
}
