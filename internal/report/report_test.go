package report

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actions"
	"github.com/releasekit/release-action/internal/publish"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func release(draft bool) *publish.Release {
	return &publish.Release{
		ID:         1001,
		TagName:    "v1.2.3",
		Name:       "Version 1.2.3",
		Draft:      draft,
		HTMLURL:    "https://github.com/octo/hello/releases/tag/v1.2.3",
		UploadURL:  "https://uploads.github.com/repos/octo/hello/releases/1001/assets{?name,label}",
		TarballURL: "https://api.github.com/repos/octo/hello/tarball/v1.2.3",
		ZipballURL: "https://api.github.com/repos/octo/hello/zipball/v1.2.3",
		CreatedAt:  time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

// attested gives a an attestation.
func attested(a publish.AssetReport, at *publish.AttestationReport) publish.AssetReport {
	a.Attestation = at
	return a
}

func asset(id int64, name, label string, action publish.Action, size int64, digest string) publish.AssetReport {
	return publish.AssetReport{
		Name:               name,
		Label:              label,
		ID:                 id,
		URL:                "https://api.github.com/repos/octo/hello/releases/assets/" + strings.Repeat("1", int(id%5)+1),
		BrowserDownloadURL: "https://github.com/octo/hello/releases/download/v1.2.3/" + name,
		Size:               size,
		Digest:             digest,
		State:              "uploaded",
		ContentType:        "application/octet-stream",
		Action:             action,
	}
}

const (
	sumA = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	sumB = "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
	sumC = "sha256:aaaaaaaaaaaabbbbbbbbbbbbccccccccccccddddddddddddeeeeeeeeeeeeffff"
)

var cases = []struct {
	name   string
	result *publish.Result
}{
	{
		name: "created",
		result: &publish.Result{
			Release: release(false),
			Tag:     "v1.2.3",
			Created: true,
			Assets: []publish.AssetReport{
				asset(3, "hello_linux_amd64.tar.gz", "Linux (x86-64)", publish.ActionUploaded, 4096, sumA),
				asset(1, "SHA256SUMS", "", publish.ActionUploaded, 200, sumB),
				asset(2, "hello_darwin_arm64.zip", "", publish.ActionUploaded, 1<<30, sumC),
			},
		},
	},
	{
		name: "rerun-kept",
		result: &publish.Result{
			Release: release(false),
			Tag:     "v1.2.3",
			Assets: []publish.AssetReport{
				asset(1, "SHA256SUMS", "", publish.ActionKept, 200, sumB),
				asset(2, "hello_darwin_arm64.zip", "", publish.ActionKept, 1<<30, sumC),
				asset(3, "hello_linux_amd64.tar.gz", "Linux (x86-64)", publish.ActionKept, 4096, sumA),
			},
			Warnings: []string{"release notes were not regenerated: the release already has a body"},
		},
	},
	{
		name: "attested",
		result: &publish.Result{
			Release:   release(false),
			Tag:       "v1.2.3",
			Published: true,
			Assets: []publish.AssetReport{
				attested(asset(3, "hello_linux_amd64.tar.gz", "", publish.ActionUploaded, 4096, sumA), &publish.AttestationReport{ID: 77, URL: "https://github.com/octo/hello/attestations/77", Bundle: "hello_linux_amd64.tar.gz.sigstore.json"}),
				asset(4, "hello_linux_amd64.tar.gz.sigstore.json", "", publish.ActionUploaded, 5120, sumB),
				attested(asset(2, "hello_darwin_arm64.zip", "", publish.ActionKept, 1<<30, sumC), &publish.AttestationReport{Bundle: "hello_darwin_arm64.zip.sigstore.json", Kept: true}),
				asset(5, "hello_darwin_arm64.zip.sigstore.json", "", publish.ActionKept, 5120, sumA),
			},
		},
	},
	{
		name: "dry-run-new",
		result: &publish.Result{
			Tag:     "v2.0.0",
			Created: true,
			DryRun:  true,
			Assets: []publish.AssetReport{
				{Name: "app.tgz", Size: 1536, Action: publish.ActionWouldUpload},
			},
			Plan: []publish.Step{
				{Op: publish.OpUpload, Name: "app.tgz", Label: "<build>", Path: "dist/app.tgz", Size: 1536, Reason: "new asset"},
			},
		},
	},
	{
		name: "dry-run-existing",
		result: &publish.Result{
			Release: release(true),
			Tag:     "v1.2.3",
			DryRun:  true,
			Assets: []publish.AssetReport{
				{Name: "SHA256SUMS", Size: 210, Digest: sumA, Action: publish.ActionWouldReplace},
				asset(2, "hello_darwin_arm64.zip", "", publish.ActionWouldKeep, 1<<30, sumC),
				asset(4, "old.zip", "", publish.ActionWouldDelete, 5, sumB),
			},
		},
	},
	{
		name: "hostile-names",
		result: &publish.Result{
			Release:   release(false),
			Tag:       "v1.2.3",
			Published: true,
			Assets: []publish.AssetReport{
				asset(1, "a|b.txt", "col|umn\nnew | line", publish.ActionReplaced, 1023, sumA),
				asset(2, "*bold*_and_`code`.bin", "[link](http://evil) <b>x</b>", publish.ActionUploaded, 1048575, "md5:abc"),
				asset(3, "old.zip", "", publish.ActionDeleted, 5, sumC),
			},
			Warnings: []string{"asset \"a|b.txt\" was\nrenamed by GitHub"},
		},
	},
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rd, err := Render(tc.result)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			var b strings.Builder
			for _, o := range rd.Outputs {
				b.WriteString(o.Name + "=" + o.Value + "\n")
			}
			golden(t, tc.name+".outputs.txt", b.String())
			golden(t, tc.name+".summary.md", rd.Summary)
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test -update if the change is right):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestTableShape checks that every asset row has exactly the table's five columns,
// whatever the asset's name and label hold.
func TestTableShape(t *testing.T) {
	t.Parallel()
	for _, tc := range cases {
		for _, line := range strings.Split(Summary(tc.result), "\n") {
			if !strings.HasPrefix(line, "|") {
				continue
			}
			unescaped := strings.Count(line, "|") - strings.Count(line, `\|`)
			if unescaped != 6 {
				t.Errorf("%s: row %q has %d cell borders, want 6", tc.name, line, unescaped)
			}
		}
	}
}

func TestOutputsNilRelease(t *testing.T) {
	t.Parallel()
	outs, _, err := Outputs(&publish.Result{Tag: "v9", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, o := range outs {
		got[o.Name] = o.Value
	}
	want := map[string]string{
		"id": "", "html_url": "", "upload_url": "", "tarball_url": "", "zipball_url": "",
		"tag": "v9", "created": "false", "assets": "[]", "plan": "[]", "waiting_for": "[]",
	}
	if len(got) != len(want) {
		t.Errorf("outputs %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("output %s = %q, want %q", k, got[k], v)
		}
	}
}

// TestOutputsAreWritable checks that every output survives actions.WriteOutputs.
func TestOutputsAreWritable(t *testing.T) {
	t.Parallel()
	for _, tc := range cases {
		outs, _, err := Outputs(tc.result)
		if err != nil {
			t.Fatal(err)
		}
		if err := actions.WriteOutputs(filepath.Join(t.TempDir(), "out"), outs); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestDigest(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		sumA:                      "`0123456789ab`",
		"sha256:ABCDEF0123456789": "`abcdef012345`",
		"":                        "-",
		"md5:0123456789abcdef":    "-",
		"sha256:short":            "-",
		"sha256:zzzzzzzzzzzzzzzz": "-",
	} {
		if got := digest(in); got != want {
			t.Errorf("digest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlanOutputOnlyInDryRuns: a real run has no plan output at all.
func TestPlanOutputOnlyInDryRuns(t *testing.T) {
	t.Parallel()
	outs, _, err := Outputs(&publish.Result{Tag: "v9", Plan: []publish.Step{{Op: publish.OpUpload, Name: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if o.Name == "plan" {
			t.Errorf("a real run writes the plan output %q", o.Value)
		}
	}
}

// TestDryRunClaimsNothing: a dry run's outputs never say a thing was done, and a
// result that mixes a plan with deeds is refused rather than written.
func TestDryRunClaimsNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range cases {
		if !tc.result.DryRun {
			continue
		}
		outs, _, err := Outputs(tc.result)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			for _, done := range []string{`"uploaded"`, `"replaced"`, `"kept"`, `"deleted"`} {
				if o.Name == "assets" && strings.Contains(o.Value, `"action":`+done) {
					t.Errorf("%s: a dry run's assets output says %s: %s", tc.name, done, o.Value)
				}
			}
			if o.Name == "created" && o.Value != "false" {
				t.Errorf("%s: a dry run says created=%s", tc.name, o.Value)
			}
		}
		if s := Summary(tc.result); !strings.Contains(s, "A real run would upload") || strings.Contains(s, " uploaded,") {
			t.Errorf("%s: the summary does not speak of intentions:\n%s", tc.name, s)
		}
	}
	for _, r := range []*publish.Result{
		{Tag: "v1", DryRun: true, Assets: []publish.AssetReport{{Name: "a", Action: publish.ActionUploaded}}},
		{Tag: "v1", Assets: []publish.AssetReport{{Name: "a", Action: publish.ActionWouldUpload}}},
	} {
		if _, _, err := Outputs(r); err == nil {
			t.Errorf("dry run %v with action %s: outputs written", r.DryRun, r.Assets[0].Action)
		}
	}
}

// TestSummaryFitsGitHubsLimit: a table that would pass 1 MiB is cut, with a line
// that says how many assets are missing, instead of being dropped by the runner.
func TestSummaryFitsGitHubsLimit(t *testing.T) {
	t.Parallel()
	r := &publish.Result{Tag: "v1", Release: &publish.Release{TagName: "v1"}}
	for i := range 1000 {
		r.Assets = append(r.Assets, publish.AssetReport{Name: fmt.Sprintf("%04d-%s.zip", i, strings.Repeat("n", 1500)), Action: publish.ActionUploaded})
	}
	s := Summary(r)
	if len(s) > SummaryLimit {
		t.Fatalf("summary is %d bytes, over %d", len(s), SummaryLimit)
	}
	if !strings.Contains(s, "more assets are not shown") {
		t.Error("the cut table does not say so")
	}
}
