package inputs

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
)

// The runner passes every `with:` key to a container action as INPUT_<KEY>, declared
// or not, and only warns about the undeclared ones. A key meant for another release
// action would then be ignored silently (softprops' tag_name is not our tag), so a
// workflow run treats an undeclared input as an error and says what to write instead.

// foreignInputs maps the inputs of other release actions, upper-cased as the runner
// passes them, to ours. An empty value means we have no such input, and the hint
// explains why or what does the job. Sources: the action.yml files of
// softprops/action-gh-release, ncipollo/release-action and
// svenstaro/upload-release-action.
var foreignInputs = map[string]struct{ ours, hint string }{
	// softprops/action-gh-release
	"TAG_NAME":                 {ours: "tag"},
	"OVERWRITE_FILES":          {ours: "overwrite"},
	"DISCUSSION_CATEGORY_NAME": {ours: "discussion_category"},
	"APPEND_BODY":              {hint: "the body is recomposed from body/body_path and the generated notes on every run, never appended to"},
	"PRESERVE_ORDER":           {hint: "uploads run in parallel (max_parallel); GitHub lists assets by name whatever the upload order"},
	// ncipollo/release-action
	"ALLOWUPDATES":                    {hint: "an existing release for the tag is always updated; remove it"},
	"ARTIFACTS":                       {ours: "files"},
	"ARTIFACTCONTENTTYPE":             {hint: "each file's content type comes from its extension"},
	"ARTIFACTERRORSFAILBUILD":         {ours: "fail_on_unmatched_files"},
	"BODYFILE":                        {ours: "body_path"},
	"COMMIT":                          {ours: "target_commitish"},
	"DISCUSSIONCATEGORY":              {ours: "discussion_category"},
	"GENERATERELEASENOTES":            {ours: "generate_release_notes"},
	"GENERATERELEASENOTESPREVIOUSTAG": {ours: "previous_tag"},
	"MAKELATEST":                      {ours: "make_latest"},
	"REMOVEARTIFACTS":                 {ours: "delete_other_assets"},
	"REPLACESARTIFACTS":               {ours: "overwrite"},
	"OWNER":                           {ours: "repository", hint: "give owner/name"},
	"REPO":                            {ours: "repository", hint: "give owner/name"},
	"OMITBODY":                        {hint: "leave body and body_path unset to keep the release's notes"},
	"OMITBODYDURINGUPDATE":            {hint: "leave body and body_path unset to keep the release's notes"},
	"OMITNAME":                        {hint: "leave name unset to keep the release's title"},
	"OMITNAMEDURINGUPDATE":            {hint: "leave name unset to keep the release's title"},
	"OMITDRAFTDURINGUPDATE":           {hint: "draft applies as given; a run always publishes last unless draft is true"},
	"OMITPRERELEASEDURINGUPDATE":      {hint: "leave prerelease unset to keep the release's setting"},
	"SKIPIFRELEASEEXISTS":             {hint: "a re-run converges the existing release instead; identical files are kept, not uploaded again"},
	"UPDATEONLYUNRELEASED":            {hint: "a re-run converges the existing release; use a new tag for a new release"},
	"IMMUTABLECREATE":                 {hint: "the release is always built as a draft and published last, which is what immutable releases need"},
	// svenstaro/upload-release-action
	"REPO_TOKEN":    {ours: "token"},
	"FILE":          {ours: "files"},
	"FILE_GLOB":     {ours: "files", hint: "every entry of files is a glob"},
	"ASSET_NAME":    {hint: `an asset is named after its file; write "path#label" in files to give it a label`},
	"RELEASE_NAME":  {ours: "name"},
	"TARGET_COMMIT": {ours: "target_commitish"},
	"REPO_NAME":     {ours: "repository"},
	"PROMOTE":       {hint: "set draft: false and prerelease: false to publish a release fully"},
}

// CheckUnknown returns one error per INPUT_* variable in environ (KEY=VALUE pairs, as
// os.Environ returns them) that is not one of the declared inputs. Each names the
// input and says what to use instead: our name for another release action's input,
// else the nearest declared input.
func CheckUnknown(environ []string, declared []string) []error {
	known := make(map[string]bool, len(declared))
	for _, d := range declared {
		known[envName(d)] = true
	}
	var unknown []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		name, ok := strings.CutPrefix(k, "INPUT_")
		if !ok || name == "" || known[k] {
			continue
		}
		unknown = append(unknown, name)
	}
	sort.Strings(unknown)
	var errs []error
	for _, name := range unknown {
		errs = append(errs, unknownInput(name, declared))
	}
	return errs
}

func unknownInput(name string, declared []string) error {
	shown := strings.ToLower(name)
	if f, ok := foreignInputs[name]; ok {
		switch {
		case f.ours != "" && f.hint != "":
			return fmt.Errorf("input %q is not an input of this action; use %q (%s)", shown, f.ours, f.hint)
		case f.ours != "":
			return fmt.Errorf("input %q is not an input of this action; use %q instead", shown, f.ours)
		default:
			return fmt.Errorf("input %q is not an input of this action: %s", shown, f.hint)
		}
	}
	if near := Nearest(shown, declared); near != "" {
		return fmt.Errorf("input %q is not an input of this action; did you mean %q?", shown, near)
	}
	return fmt.Errorf("input %q is not an input of this action; the inputs are listed in the README", shown)
}

// Nearest returns the candidate closest to name by edit distance (ignoring case,
// and treating - and _ alike), or "" when none is close enough to be a likely typo.
func Nearest(name string, candidates []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	n := norm(name)
	best, bestD := "", 0
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(n, norm(c))
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	// A third of the name's length, at least 2: "max_paralel" finds max_parallel,
	// "colour" finds nothing among our inputs.
	limit := max(2, len(n)/3)
	if best == "" || bestD > limit {
		return ""
	}
	return best
}

// envName is the variable the runner sets for a declared input, as go-githubactions
// reads it: INPUT_ and the name upper-cased with spaces as underscores.
func envName(input string) string {
	return "INPUT_" + strings.ToUpper(strings.ReplaceAll(input, " ", "_"))
}

// CheckUnknownInWorkflow is CheckUnknown over environ's variables, in a workflow
// (GITHUB_ACTIONS=true) only: from a terminal the flags set INPUT_* themselves,
// and a shell's leftovers are not the user's `with:`. A nil environ cannot be
// listed, and checks nothing.
func CheckUnknownInWorkflow(getenv func(string) string, environ func() []string, declared []string) []error {
	if getenv("GITHUB_ACTIONS") != "true" || environ == nil {
		return nil
	}
	return CheckUnknown(environ(), declared)
}
