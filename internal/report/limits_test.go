package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/publish"
)

// TestOutputsFitGitHubsLimit: 1,000 assets with long labels would make an assets
// output of several MB, which GitHub drops with every other output of the job.
// The list keeps its first entries, stays valid JSON, and the summary says so.
func TestOutputsFitGitHubsLimit(t *testing.T) {
	t.Parallel()
	r := &publish.Result{Tag: "v1", Release: &publish.Release{ID: 1, TagName: "v1"}}
	for i := range 1000 {
		r.Assets = append(r.Assets, publish.AssetReport{
			Name: fmt.Sprintf("asset-%04d.zip", i), Label: strings.Repeat("é𝄞", 1000), Action: publish.ActionUploaded,
		})
	}
	rd, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	outs := rd.Outputs
	total := 0
	var list []publish.AssetReport
	for _, o := range outs {
		total += utf16Len(o.Name) + utf16Len(o.Value)
		if o.Name == "assets" {
			if err := json.Unmarshal([]byte(o.Value), &list); err != nil {
				t.Fatalf("the cut assets output is not JSON: %v", err)
			}
		}
	}
	if total > OutputsLimit {
		t.Fatalf("outputs are %d UTF-16 units, over %d", total, OutputsLimit)
	}
	if len(list) == 0 || len(list) >= 1000 || list[0].Name != "asset-0000.zip" {
		t.Fatalf("the assets output kept %d entries, want a front part of the 1000", len(list))
	}
	want := fmt.Sprintf("the assets output lists the first %d of 1000 entries", len(list))
	if !strings.Contains(rd.Summary, want) {
		t.Errorf("the summary does not say %q", want)
	}
	if len(rd.Warnings) != 1 || !strings.Contains(rd.Warnings[0], want) {
		t.Errorf("warnings for the log %q, want one saying %q", rd.Warnings, want)
	}
}

// TestOutputsUncutUnderTheLimit: an ordinary list is whole, with no warning.
func TestOutputsUncutUnderTheLimit(t *testing.T) {
	t.Parallel()
	r := &publish.Result{Tag: "v1", Assets: []publish.AssetReport{{Name: "a<b>.zip", Action: publish.ActionKept}}}
	outs, cut, err := Outputs(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if o.Name == "assets" && !strings.Contains(o.Value, `"name":"a<b>.zip"`) {
			t.Errorf("assets = %s", o.Value)
		}
	}
	if len(cut) != 0 {
		t.Errorf("warnings %v for a short list", cut)
	}
}

func TestUTF16Len(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"": 0, "abc": 3, "é": 1, "𝄞": 2, "\xff\xfe": 2} {
		if got := utf16Len(s); got != want {
			t.Errorf("utf16Len(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestSummaryCapsEverything: thousands of long warnings still leave a summary
// within GitHub's limit, ending with a note.
func TestSummaryCapsEverything(t *testing.T) {
	t.Parallel()
	r := &publish.Result{Tag: "v1"}
	for i := range 3000 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("warning %d: %s", i, strings.Repeat("w", 500)))
	}
	s := Summary(r)
	if len(s) > SummaryLimit || !strings.Contains(s, "The rest of this summary is cut") {
		t.Fatalf("summary is %d bytes (limit %d), cut note present: %v", len(s), SummaryLimit, strings.Contains(s, "The rest of this summary is cut"))
	}
}
