package packaging

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/report"
	"gopkg.in/yaml.v3"
)

// The outputs, in order, as documented. The inputs are action.yml's own list:
// TestEveryInputIsInEveryPlace holds every other place to it.
var wantOutputs = []string{"id", "html_url", "upload_url", "tarball_url", "zipball_url", "tag", "created", "assets", "plan", "waiting_for"}

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
	if len(ins.keys) == 0 {
		t.Fatal("action.yml: no inputs")
	}
	for _, name := range ins.keys {
		in := ins.get(name)
		if strings.TrimSpace(in.get("description").text()) == "" {
			t.Errorf("input %s: no description", name)
		}
		if r := in.get("required"); r != nil && r.text() != "false" {
			t.Errorf("input %s: required is %q; every input is optional in action.yml, the program validates them", name, r.text())
		}
		for _, k := range in.keys {
			if k != "description" && k != "required" && k != "default" && k != "deprecationMessage" {
				t.Errorf("input %s: unexpected key %q", name, k)
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
	written, _, err := report.Outputs(&publish.Result{DryRun: true})
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
