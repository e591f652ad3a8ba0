package publish

import (
	"context"
	"errors"
	"os"
	"testing"
)

// A run with checksums writes the list to a temporary directory; whatever the
// run's outcome, nothing of it is left there afterwards.
func TestChecksumListLeavesNoTemporaryDirectory(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		dryRun  bool
		failing string // a GitHub method that fails
	}{
		{name: "published"},
		{name: "dry run", dryRun: true},
		{name: "upload failed", failing: "UploadAsset"},
		{name: "publish failed", failing: "UpdateRelease"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			if c.failing != "" {
				f.fail[c.failing] = errors.New("injected failure")
			}
			tmp := t.TempDir()
			p := &Publisher{GH: f, Log: &logLines{}, TempDir: tmp}
			j := &Job{Repository: "o/r", Files: files(t, "a.zip", "content")}
			j.Tag, j.Checksums, j.MaxParallel, j.DryRun = "v1", "SHA256SUMS", 1, c.dryRun
			_, err := p.Run(context.Background(), j)
			if (err != nil) != (c.failing != "") {
				t.Fatalf("Run: %v", err)
			}
			left, err := os.ReadDir(tmp)
			if err != nil {
				t.Fatal(err)
			}
			if len(left) != 0 {
				t.Errorf("left behind in the temporary directory: %v", left)
			}
		})
	}
}
