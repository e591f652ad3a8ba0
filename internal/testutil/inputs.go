package testutil

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Input is one input as action.yml declares it.
type Input struct {
	Name, Default, Description string
}

// ActionInputs returns the inputs of the module's action.yml, in file order:
// the one list of inputs every test of the interface derives from.
func ActionInputs(t testing.TB) []Input {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(ModuleRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	ins, err := ParseInputs(src)
	if err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return ins
}

// ParseInputs reads the inputs of an action.yml in file order.
func ParseInputs(actionYAML []byte) ([]Input, error) {
	var doc struct {
		Inputs yaml.Node `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(actionYAML, &doc); err != nil {
		return nil, err
	}
	if doc.Inputs.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("inputs is not a mapping")
	}
	var out []Input
	for i := 0; i+1 < len(doc.Inputs.Content); i += 2 {
		var in struct {
			Description string `yaml:"description"`
			Default     string `yaml:"default"`
		}
		if err := doc.Inputs.Content[i+1].Decode(&in); err != nil {
			return nil, fmt.Errorf("input %s: %w", doc.Inputs.Content[i].Value, err)
		}
		out = append(out, Input{Name: doc.Inputs.Content[i].Value, Default: in.Default, Description: strings.TrimSpace(in.Description)})
	}
	return out, nil
}

// InputVar is the variable the runner sets for an input.
func InputVar(name string) string { return "INPUT_" + strings.ToUpper(name) }

// A Probe is a valid value of an input that is not its default, and the other
// inputs it needs set to have an effect (With). In a value, $GITHUB_WORKSPACE
// stands for the workspace of the environment it is added to.
type Probe struct {
	Value string
	With  map[string]string
}

// Probes is the one table of probe values: the parser's test sets each to see
// that the parsed configuration changes, the job's test to see that the job
// does. A new input of action.yml needs an entry here; the tests say so.
var Probes = map[string]Probe{
	"token":                   {Value: "other-token"},
	"repository":              {Value: "someone/else"},
	"tag":                     {Value: "v2.0.0"},
	"target_commitish":        {Value: "main"},
	"name":                    {Value: "Release 2"},
	"body":                    {Value: "notes"},
	"body_path":               {Value: "NOTES.md"},
	"body_from_changelog":     {Value: "CHANGELOG.md"},
	"body_from_tag":           {Value: "true"},
	"move_tag":                {Value: "true", With: map[string]string{"target_commitish": "main"}},
	"generate_release_notes":  {Value: "true"},
	"previous_tag":            {Value: "v0.9.0", With: map[string]string{"generate_release_notes": "true"}},
	"notes_config":            {Value: ".github/release.yml", With: map[string]string{"generate_release_notes": "true"}},
	"notes_mode":              {Value: "append", With: map[string]string{"generate_release_notes": "true"}},
	"previous_tag_prefix":     {Value: "auto", With: map[string]string{"generate_release_notes": "true"}},
	"notes_categories":        {Value: "conventional", With: map[string]string{"generate_release_notes": "true"}},
	"notes_paths":             {Value: "api/**", With: map[string]string{"generate_release_notes": "true"}},
	"draft":                   {Value: "true"},
	"prerelease":              {Value: "true"},
	"make_latest":             {Value: "false"},
	"discussion_category":     {Value: "Announcements"},
	"prune_tags":              {Value: "v*", With: map[string]string{"prune_tags": "v1.*", "keep_latest": "3"}},
	"keep_latest":             {Value: "5", With: map[string]string{"prune_tags": "v1.*", "keep_latest": "3"}},
	"files":                   {Value: "dist/*"},
	"working_directory":       {Value: "$GITHUB_WORKSPACE/other", With: map[string]string{"files": "dist/*"}},
	"fail_on_unmatched_files": {Value: "false", With: map[string]string{"files": "dist/*"}},
	"follow_symlinks":         {Value: "true"},
	"overwrite":               {Value: "false"},
	"delete_other_assets":     {Value: "true", With: map[string]string{"files": "dist/*"}},
	"prune_assets":            {Value: "app-*.zip"},
	"max_parallel":            {Value: "8"},
	"hour_window":             {Value: "stop"},
	"hour_window_max_wait":    {Value: "30m"},
	"checksums":               {Value: "SHA256SUMS"},
	"expected_assets":         {Value: "app-*.tar.gz"},
	"verify":                  {Value: "download"},
	"attest":                  {Value: "true", With: map[string]string{"dry_run": "true"}},
	"sigstore":                {Value: "github", With: map[string]string{"dry_run": "true", "attest": "true"}},
	"trusted_root":            {Value: "trusted_root.json", With: map[string]string{"verify": "true"}},
	"dry_run":                 {Value: "true"},
}

// ProbeFiles are the files the probes name, relative to the workspace; a test
// that opens them (the job's) writes them first.
var ProbeFiles = map[string]string{
	"NOTES.md":         "notes",
	"CHANGELOG.md":     "# Changelog\n\n## 1.0.0\n\n- First release.\n",
	"dist/a.txt":       "content of dist/a.txt",
	"other/dist/b.txt": "content of other/dist/b.txt",
}

// ProbeEnv returns a copy of base with the inputs p needs (With) and, when
// probed, the input itself set to p.Value.
func (p Probe) ProbeEnv(base map[string]string, name string, probed bool) map[string]string {
	env := make(map[string]string, len(base)+len(p.With)+1)
	for k, v := range base {
		env[k] = v
	}
	expand := func(v string) string {
		return strings.ReplaceAll(v, "$GITHUB_WORKSPACE", base["GITHUB_WORKSPACE"])
	}
	for k, v := range p.With {
		env[InputVar(k)] = expand(v)
	}
	if probed {
		env[InputVar(name)] = expand(p.Value)
	}
	return env
}
