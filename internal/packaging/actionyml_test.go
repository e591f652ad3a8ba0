package packaging

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/inputs"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/report"
	"gopkg.in/yaml.v3"
)

// The public interface, as documented: every input in order with its default
// ("" = none), and every output in order. action.yml must list exactly these.
var (
	wantInputs = []struct{ name, def string }{
		{"token", "${{ github.token }}"},
		{"repository", "${{ github.repository }}"},
		{"tag", ""},
		{"target_commitish", ""},
		{"move_tag", "false"},
		{"name", ""},
		{"body", ""},
		{"body_path", ""},
		{"body_from_changelog", ""},
		{"body_from_tag", "false"},
		{"generate_release_notes", "false"},
		{"previous_tag", ""},
		{"previous_tag_prefix", ""},
		{"notes_config", ""},
		{"notes_mode", "replace"},
		{"draft", "false"},
		{"prerelease", ""},
		{"make_latest", ""},
		{"discussion_category", ""},
		{"prune_tags", ""},
		{"keep_latest", ""},
		{"files", ""},
		// Not ${{ github.workspace }}: that is the runner's path, which does not
		// exist inside the container (the workspace is mounted at
		// /github/workspace). Empty makes the program use GITHUB_WORKSPACE, which
		// the runner sets to the container's path.
		{"working_directory", ""},
		{"fail_on_unmatched_files", "true"},
		{"follow_symlinks", "false"},
		{"overwrite", "true"},
		{"delete_other_assets", "false"},
		{"prune_assets", ""},
		{"max_parallel", "4"},
		{"hour_window", "wait"},
		{"hour_window_max_wait", "2h"},
		{"checksums", ""},
		{"expected_assets", ""},
		{"verify", "false"},
		{"attest", "false"},
		{"sigstore", "auto"},
		{"trusted_root", ""},
		{"dry_run", "false"},
	}
	wantOutputs = []string{"id", "html_url", "upload_url", "tarball_url", "zipball_url", "tag", "created", "assets", "plan", "waiting_for"}
)

func loadActionYAML(t *testing.T) *yamlNode {
	t.Helper()
	doc, err := parseActionYAML(readRepoFile(t, "action.yml"))
	if err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return doc
}

func TestActionYAMLListsEveryInput(t *testing.T) {
	t.Parallel()
	doc := loadActionYAML(t)
	for _, key := range []string{"name", "description", "author"} {
		if doc.get(key).text() == "" {
			t.Errorf("action.yml: %s is empty", key)
		}
	}
	if b := doc.get("branding"); b.get("icon").text() == "" || b.get("color").text() == "" {
		t.Errorf("action.yml: branding needs icon and color")
	}

	ins := doc.get("inputs")
	var names []string
	for _, n := range wantInputs {
		names = append(names, n.name)
	}
	if !slices.Equal(ins.keys, names) {
		t.Fatalf("action.yml inputs:\n  %v\nwant, in this order:\n  %v", ins.keys, names)
	}
	for _, want := range wantInputs {
		in := ins.get(want.name)
		if strings.TrimSpace(in.get("description").text()) == "" {
			t.Errorf("input %s: no description", want.name)
		}
		if r := in.get("required"); r != nil && r.text() != "false" {
			t.Errorf("input %s: required is %q; every input is optional in action.yml, the program validates them", want.name, r.text())
		}
		if got := in.get("default").text(); got != want.def {
			t.Errorf("input %s: default %q, want %q", want.name, got, want.def)
		}
		for _, k := range in.keys {
			if k != "description" && k != "required" && k != "default" && k != "deprecationMessage" {
				t.Errorf("input %s: unexpected key %q", want.name, k)
			}
		}
	}
}

func TestActionYAMLListsEveryOutput(t *testing.T) {
	t.Parallel()
	outs := loadActionYAML(t).get("outputs")
	if !slices.Equal(outs.keys, wantOutputs) {
		t.Fatalf("action.yml outputs:\n  %v\nwant, in this order:\n  %v", outs.keys, wantOutputs)
	}
	for _, name := range outs.keys {
		o := outs.get(name)
		if strings.TrimSpace(o.get("description").text()) == "" {
			t.Errorf("output %s: no description", name)
		}
		// A docker action's outputs come from GITHUB_OUTPUT; "value" is for
		// composite actions only.
		if !slices.Equal(o.keys, []string{"description"}) {
			t.Errorf("output %s: keys %v, want only description", name, o.keys)
		}
	}

	// The program writes report.Outputs; a dry run's has them all, plan last.
	written, err := report.Outputs(&publish.Result{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range written {
		got = append(got, o.Name)
	}
	if !slices.Equal(got, wantOutputs) {
		t.Errorf("the program writes outputs %v; action.yml documents %v", got, wantOutputs)
	}

	// The assets output's description names every field of its JSON objects.
	desc := outs.get("assets").get("description").text()
	fields := reflect.TypeFor[publish.AssetReport]()
	for i := range fields.NumField() {
		tag, _, _ := strings.Cut(fields.Field(i).Tag.Get("json"), ",")
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(tag) + `\b`).MatchString(desc) {
			t.Errorf("output assets: description does not name the field %q", tag)
		}
	}
}

func TestActionYAMLRunsTheImage(t *testing.T) {
	t.Parallel()
	runs := loadActionYAML(t).get("runs")
	if got := runs.get("using").text(); got != "docker" {
		t.Errorf("runs.using %q, want docker", got)
	}
	// Dockerfile on branches; the prebuilt image, pinned, in released commits.
	image := runs.get("image").text()
	prebuilt := regexp.MustCompile(`^docker://ghcr\.io/[a-z0-9._-]+/[a-z0-9._-]+@sha256:[0-9a-f]{64}$`)
	if image != "Dockerfile" && !prebuilt.MatchString(image) {
		t.Errorf("runs.image %q: want Dockerfile, or docker://ghcr.io/owner/repo@sha256:<64 hex>", image)
	}
	// The token arrives as INPUT_TOKEN; as an argument it would show in the
	// process list and in the runner's docker run line.
	for _, k := range runs.keys {
		if k != "using" && k != "image" {
			t.Errorf("runs.%s: only using and image are expected (no args, no env, no entrypoint override)", k)
		}
	}
}

// TestActionYAMLInputsReachTheParser proves each documented input is read by
// inputs.Parse: setting it changes the parsed Config, and setting it to its
// documented default changes nothing.
func TestActionYAMLInputsReachTheParser(t *testing.T) {
	t.Parallel()
	src, err := readGoSources("../inputs")
	if err != nil {
		t.Fatal(err)
	}
	// probe is a valid non-default value; with adds inputs it needs to be valid.
	probes := map[string]struct {
		probe string
		with  map[string]string
	}{
		"token":                   {probe: "other-token"},
		"repository":              {probe: "someone/else"},
		"tag":                     {probe: "v2.0.0"},
		"target_commitish":        {probe: "main"},
		"name":                    {probe: "Release 2"},
		"body":                    {probe: "notes"},
		"body_path":               {probe: "NOTES.md"},
		"body_from_changelog":     {probe: "CHANGELOG.md"},
		"body_from_tag":           {probe: "true"},
		"move_tag":                {probe: "true", with: map[string]string{"target_commitish": "main"}},
		"generate_release_notes":  {probe: "true"},
		"previous_tag":            {probe: "v0.9.0", with: map[string]string{"generate_release_notes": "true"}},
		"notes_config":            {probe: ".github/release.yml", with: map[string]string{"generate_release_notes": "true"}},
		"previous_tag_prefix":     {probe: "auto", with: map[string]string{"generate_release_notes": "true"}},
		"notes_mode":              {probe: "append", with: map[string]string{"generate_release_notes": "true"}},
		"draft":                   {probe: "true"},
		"prerelease":              {probe: "true"},
		"make_latest":             {probe: "false"},
		"discussion_category":     {probe: "Announcements"},
		"prune_tags":              {probe: "v*", with: map[string]string{"prune_tags": "v1.*", "keep_latest": "3"}},
		"keep_latest":             {probe: "5", with: map[string]string{"prune_tags": "v1.*", "keep_latest": "3"}},
		"files":                   {probe: "dist/*"},
		"working_directory":       {probe: "/elsewhere"},
		"fail_on_unmatched_files": {probe: "false"},
		"follow_symlinks":         {probe: "true"},
		"overwrite":               {probe: "false"},
		"delete_other_assets":     {probe: "true", with: map[string]string{"files": "dist/*"}},
		"prune_assets":            {probe: "app-*.zip"},
		"max_parallel":            {probe: "8"},
		"hour_window":             {probe: "stop"},
		"hour_window_max_wait":    {probe: "30m"},
		"checksums":               {probe: "SHA256SUMS"},
		"expected_assets":         {probe: "app-*.tar.gz"},
		"verify":                  {probe: "download"},
		"attest":                  {probe: "true", with: map[string]string{"dry_run": "true"}},
		"sigstore":                {probe: "github", with: map[string]string{"dry_run": "true", "attest": "true"}},
		"trusted_root":            {probe: "trusted_root.json", with: map[string]string{"verify": "true"}},
		"dry_run":                 {probe: "true"},
	}
	for _, in := range wantInputs {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(string(src), strconv.Quote(in.name)) {
				t.Errorf("internal/inputs never names %q", in.name)
			}
			p, ok := probes[in.name]
			if !ok {
				t.Fatalf("no probe value for input %s; add one", in.name)
			}
			env := map[string]string{
				"INPUT_TOKEN": "token", "GITHUB_REPOSITORY": "octo/demo",
				"INPUT_TAG": "v1.0.0", "GITHUB_WORKSPACE": "/github/workspace",
			}
			for k, v := range p.with {
				env[inputVar(k)] = v
			}
			base := mustParse(t, env, "")
			env[inputVar(in.name)] = p.probe
			if probed := mustParse(t, env, in.name+"="+p.probe); reflect.DeepEqual(base, probed) {
				t.Errorf("setting %s=%q does not change the parsed config: the parser ignores the input", in.name, p.probe)
			}
			if in.def == "" || strings.Contains(in.def, "${{") {
				return
			}
			env[inputVar(in.name)] = in.def
			if got := mustParse(t, env, in.name+"="+in.def); !reflect.DeepEqual(base, got) {
				t.Errorf("the documented default %s=%q is not the parser's default:\n got %+v\nwant %+v", in.name, in.def, got, base)
			}
		})
	}
}

// inputVar is the variable the runner sets for an input.
func inputVar(name string) string { return "INPUT_" + strings.ToUpper(name) }

func mustParse(t *testing.T, env map[string]string, what string) *inputs.Config {
	t.Helper()
	cfg, err := inputs.Parse(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("parse with %s: %v", what, err)
	}
	return cfg
}

// A yamlNode is a scalar or a mapping whose keys keep their file order.
type yamlNode struct {
	scalar string
	keys   []string
	m      map[string]*yamlNode
}

// get returns the child named key, or nil; it is safe on a nil node.
func (n *yamlNode) get(key string) *yamlNode {
	if n == nil || n.m == nil {
		return nil
	}
	return n.m[key]
}

// text returns a scalar's value; "" for nil or a mapping.
func (n *yamlNode) text() string {
	if n == nil {
		return ""
	}
	return n.scalar
}

// parseActionYAML reads action.yml into yamlNodes. action.yml has only mappings
// and scalars; anything else (a sequence, an alias) is reported, not skipped.
func parseActionYAML(src string) (*yamlNode, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("not a single YAML document")
	}
	return fromYAML(doc.Content[0])
}

func fromYAML(y *yaml.Node) (*yamlNode, error) {
	switch y.Kind {
	case yaml.ScalarNode:
		return &yamlNode{scalar: y.Value}, nil
	case yaml.MappingNode:
		n := &yamlNode{m: map[string]*yamlNode{}}
		for i := 0; i+1 < len(y.Content); i += 2 {
			key := y.Content[i].Value
			if _, dup := n.m[key]; dup {
				return nil, fmt.Errorf("line %d: key %q repeated", y.Content[i].Line, key)
			}
			child, err := fromYAML(y.Content[i+1])
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, key)
			n.m[key] = child
		}
		return n, nil
	}
	return nil, fmt.Errorf("line %d: only mappings and scalars are expected in action.yml", y.Line)
}

// readGoSources concatenates a package's non-test Go files.
func readGoSources(dir string) ([]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var all []byte
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		all = append(all, b...)
	}
	return all, nil
}
