package inputs

import (
	"strings"
	"testing"
)

func TestCheckUnknown(t *testing.T) {
	t.Parallel()
	declared := []string{"token", "tag", "files", "max_parallel", "overwrite", "delete_other_assets", "body_path"}
	tests := []struct {
		name    string
		environ []string
		want    []string // substrings, one per expected error, in order
	}{
		{"declared inputs pass", []string{"INPUT_TOKEN=x", "INPUT_TAG=v1", "INPUT_MAX_PARALLEL=4", "PATH=/bin"}, nil},
		{"not an input variable", []string{"INPUTS=x", "MY_INPUT_TAG=v1", "INPUT_=x"}, nil},
		{"softprops name maps to ours", []string{"INPUT_TAG_NAME=v1"}, []string{`input "tag_name" is not an input of this action; use "tag" instead`}},
		{"ncipollo name maps to ours", []string{"INPUT_ARTIFACTS=dist/*", "INPUT_BODYFILE=notes.md"}, []string{
			`input "artifacts" is not an input of this action; use "files" instead`,
			`input "bodyfile" is not an input of this action; use "body_path" instead`,
		}},
		{"no equivalent explains", []string{"INPUT_ALLOWUPDATES=true"}, []string{`input "allowupdates" is not an input of this action: an existing release`}},
		{"typo gets the nearest", []string{"INPUT_MAX_PARALEL=2"}, []string{`did you mean "max_parallel"?`}},
		{"far from everything", []string{"INPUT_COLOUR=red"}, []string{`input "colour" is not an input of this action; the inputs are listed in the README`}},
		{"a value with = is not a name", []string{"INPUT_TAG=a=b"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			errs := CheckUnknown(tt.environ, declared)
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d errors %v, want %d", len(errs), errs, len(tt.want))
			}
			for i, e := range errs {
				if !strings.Contains(e.Error(), tt.want[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, e, tt.want[i])
				}
			}
		})
	}
}

func TestNearest(t *testing.T) {
	t.Parallel()
	cands := []string{"max-parallel", "overwrite", "dry-run", "tag"}
	for in, want := range map[string]string{
		"max-paralel":  "max-parallel",
		"max_parallel": "max-parallel",
		"overwrit":     "overwrite",
		"dryrun":       "dry-run",
		"tga":          "tag",
		"zzzzzzzzzz":   "",
	} {
		if got := Nearest(in, cands); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}
