package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/releasekit/release-action/internal/publish"
)

// TestRenderingLeavesTheResultAlone: rendering a result whose lists are cut to
// fit GitHub's limit returns the cuts' warnings, which the summary lists after
// the run's; the result is as it was.
func TestRenderingLeavesTheResultAlone(t *testing.T) {
	t.Parallel()
	build := func() *publish.Result {
		r := &publish.Result{Tag: "v1", DryRun: true, Warnings: []string{"from the run"}}
		for i := range 1000 {
			name := fmt.Sprintf("asset-%04d.zip", i)
			r.Assets = append(r.Assets, publish.AssetReport{Name: name, Label: strings.Repeat("é", 1000), Action: publish.ActionWouldUpload})
			r.Plan = append(r.Plan, publish.Step{Op: publish.OpUpload, Name: name, Label: strings.Repeat("é", 1000)})
		}
		return r
	}
	r := build()
	rd, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Warnings) != 2 || !strings.Contains(rd.Warnings[0], "assets output") || !strings.Contains(rd.Warnings[1], "plan output") {
		t.Errorf("warnings %q, want the assets and the plan output's cuts", rd.Warnings)
	}
	run, cut := strings.Index(rd.Summary, "from the run"), strings.Index(rd.Summary, "the assets output lists")
	if run < 0 || cut < run {
		t.Errorf("the summary lists the run's warning at %d and the cut at %d; want both, the run's first", run, cut)
	}
	if d := cmp.Diff(build(), r); d != "" {
		t.Errorf("rendering changed the result (-before +after):\n%s", d)
	}
}
