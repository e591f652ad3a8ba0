// Package report renders a publish.Result as every one of the action's step
// outputs (the dry run's plan included) and as a Markdown step summary.
package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/releasekit/release-action/internal/actions"
	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/publish"
)

// Outputs returns every output of the action, in a fixed order. The release's
// fields are empty strings when there is no release yet (a dry run for a new tag).
// assets is a compact JSON array of publish.AssetReport, "[]" when there are none;
// plan, last and in dry runs only, is the JSON array of the plan's steps.
//
// A list too long for GitHub's limit on a job's outputs keeps its first entries,
// and a warning saying so is returned in cut (Render passes it to Summary); it
// never fails the run. r is not changed.
//
// A dry run claims nothing: created is false, and every assets entry's action is
// an intention (would_upload, would_replace, would_keep, would_delete), never one
// of a real run's past tenses; a result that mixes them is refused.
func Outputs(r *publish.Result) (outs []actions.Output, cut []string, err error) {
	for _, a := range r.Assets {
		if a.Action.DryRun() != r.DryRun {
			return nil, nil, fmt.Errorf("assets output: asset %s has action %q in a %s", a.Name, a.Action, map[bool]string{true: "dry run", false: "real run"}[r.DryRun])
		}
	}
	list, kept, err := fitList(r.Assets, listBudget)
	if err != nil {
		return nil, nil, fmt.Errorf("encode assets output: %w", err)
	}
	if kept < len(r.Assets) {
		cut = append(cut, cutNote("assets", kept, len(r.Assets)))
	}

	var rel publish.Release
	id := ""
	if r.Release != nil {
		rel = *r.Release
		id = strconv.FormatInt(rel.ID, 10)
	}
	tag := r.Tag
	if tag == "" {
		tag = rel.TagName
	}
	outs = []actions.Output{
		{Name: "id", Value: id},
		{Name: "html_url", Value: rel.HTMLURL},
		{Name: "upload_url", Value: rel.UploadURL},
		{Name: "tarball_url", Value: rel.TarballURL},
		{Name: "zipball_url", Value: rel.ZipballURL},
		{Name: "tag", Value: tag},
		{Name: "created", Value: strconv.FormatBool(r.Created && !r.DryRun)},
		{Name: "assets", Value: list},
	}
	if r.DryRun {
		plan, kept, err := fitList(r.Plan, listBudget-utf16Len(list))
		if err != nil {
			return nil, nil, fmt.Errorf("encode plan output: %w", err)
		}
		if kept < len(r.Plan) {
			cut = append(cut, cutNote("plan", kept, len(r.Plan)))
		}
		outs = append(outs, actions.Output{Name: "plan", Value: plan})
	}
	outs = append(outs, completeOutputs(r)...) // complete.go
	return outs, cut, nil
}

// Rendered is what a Result has to say: every output, the step summary, and
// the warnings rendering adds (a list cut to fit GitHub's limit), for the
// caller to log; the summary lists them after the run's own.
type Rendered struct {
	Outputs  []actions.Output
	Summary  string
	Warnings []string
}

// Render renders r as outputs and a summary. r is not changed.
func Render(r *publish.Result) (Rendered, error) {
	outs, cut, err := Outputs(r)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Outputs: outs, Summary: Summary(r, cut...), Warnings: cut}, nil
}

// SummaryLimit is the most bytes GitHub keeps of one step's summary; a larger
// summary is dropped whole, with an error annotation.
const SummaryLimit = 1 << 20

// summaryReserve leaves room for the note that says the table was cut.
const summaryReserve = 256

// Summary returns a Markdown step summary of r: the release, what this run did
// to it, its warnings followed by more (what rendering found, see Render), and
// a table of assets sorted by name.
func Summary(r *publish.Result, more ...string) string {
	return capSummary(summary(r, slices.Concat(r.Warnings, more)))
}

// capSummary cuts a summary that is still over GitHub's limit (a run with
// thousands of warnings, say) at a line, with a note: the runner would drop it
// whole.
func capSummary(s string) string {
	if len(s) <= SummaryLimit {
		return s
	}
	cut := strings.LastIndexByte(s[:SummaryLimit-summaryReserve], '\n') + 1
	return s[:cut] + "\nThe rest of this summary is cut: GitHub keeps at most 1 MiB of a step's summary; the log has everything.\n"
}

func summary(r *publish.Result, warnings []string) string {
	var b strings.Builder
	writeHeading(&b, r)
	b.WriteString(statusLine(r) + "\n\n")
	if r.TagNote != "" {
		b.WriteString(escape(strings.ToUpper(r.TagNote[:1])+r.TagNote[1:]) + ".\n\n")
	}
	if r.LatestNote != "" {
		b.WriteString(escape(strings.ToUpper(r.LatestNote[:1])+r.LatestNote[1:]) + ".\n\n")
	}
	b.WriteString(notesSection(r)) // notes.go
	b.WriteString(pruned(r))
	b.WriteString(completeSection(r)) // complete.go
	b.WriteString(attestSection(r))   // attest.go

	if len(warnings) > 0 {
		b.WriteString("### Warnings\n\n")
		for _, w := range warnings {
			b.WriteString("- " + escape(w) + "\n")
		}
		b.WriteString("\n")
	}

	b.WriteString("### Assets\n\n")
	b.WriteString(counts(r) + "\n")
	if len(r.Assets) == 0 {
		return b.String()
	}
	list := slices.Clone(r.Assets)
	slices.SortStableFunc(list, func(a, b publish.AssetReport) int { return strings.Compare(a.Name, b.Name) })
	b.WriteString("\n| Name | Action | Size | Digest | Link |\n|---|---|--:|---|---|\n")
	for i, a := range list {
		name := escape(a.Name)
		if a.Label != "" {
			name += " (" + escape(a.Label) + ")"
		}
		row := fmt.Sprintf("| %s | %s | %s | %s | %s |\n", name, escape(actionWords(a.Action)), assets.FormatSize(a.Size), digest(a.Digest), link(a))
		if b.Len()+len(row) > SummaryLimit-summaryReserve {
			// The runner drops a summary over its limit whole; cut the table instead.
			fmt.Fprintf(&b, "\n%d more assets are not shown: GitHub keeps at most 1 MiB of a step's summary; the assets output lists them.\n", len(list)-i)
			break
		}
		b.WriteString(row)
	}
	return b.String()
}

func writeHeading(b *strings.Builder, r *publish.Result) {
	title := r.Tag
	if r.Release != nil {
		if title == "" {
			title = r.Release.TagName
		}
		if n := r.Release.Name; n != "" && n != title {
			title = n + " (" + title + ")"
		}
	}
	title = escape(title)
	if r.Release != nil && r.Release.HTMLURL != "" {
		title = "[" + title + "](" + escapeURL(r.Release.HTMLURL) + ")"
	}
	b.WriteString("## Release " + title + "\n\n")
}

func statusLine(r *publish.Result) string {
	if r.DryRun {
		s := "**Dry run: nothing was changed.** "
		if r.Release == nil {
			return s + "The release does not exist yet; this run would create it."
		}
		return s + "The release exists (" + state(r.Release) + ")."
	}
	if r.Release == nil {
		return "No release."
	}
	var did string
	switch {
	case r.Created && r.Published:
		did = "created and published by this run"
	case r.Created:
		did = "created by this run"
	case r.Published:
		did = "published by this run (it was a draft)"
	case r.Changed:
		did = "updated by this run"
	default:
		did = "already up to date: this run changed nothing"
	}
	s := state(r.Release)
	return strings.ToUpper(s[:1]) + s[1:] + ", " + did + "."
}

// state describes a release as draft, published, and whether it is a prerelease.
func state(rel *publish.Release) string {
	switch {
	case rel.Draft && rel.Prerelease:
		return "draft prerelease"
	case rel.Draft:
		return "draft"
	case rel.Prerelease:
		return "published prerelease"
	default:
		return "published release"
	}
}

func counts(r *publish.Result) string {
	n := map[publish.Action]int{}
	for _, a := range r.Assets {
		n[a.Action]++
	}
	if r.DryRun {
		return fmt.Sprintf("A real run would upload %d, replace %d, keep %d and delete %d.",
			n[publish.ActionWouldUpload], n[publish.ActionWouldReplace], n[publish.ActionWouldKeep], n[publish.ActionWouldDelete])
	}
	return fmt.Sprintf("%d uploaded, %d replaced, %d kept, %d deleted",
		n[publish.ActionUploaded], n[publish.ActionReplaced], n[publish.ActionKept], n[publish.ActionDeleted])
}

// actionWords is an action as the summary's table says it: "would upload".
func actionWords(a publish.Action) string {
	return strings.ReplaceAll(string(a), "_", " ")
}

// digest shows the first 12 hex digits of a sha256 digest; anything else as "-".
func digest(d string) string {
	hex, ok := strings.CutPrefix(d, "sha256:")
	if !ok || len(hex) < 12 || strings.Trim(hex, "0123456789abcdefABCDEF") != "" {
		return "-"
	}
	return "`" + strings.ToLower(hex[:12]) + "`"
}

func link(a publish.AssetReport) string {
	if a.BrowserDownloadURL == "" || a.Action == publish.ActionDeleted {
		return "-" // a deleted asset's link leads nowhere
	}
	return "[download](" + escapeURL(a.BrowserDownloadURL) + ")"
}

// escape makes text safe inside a heading, a list item or a table cell: control
// characters become spaces, and characters Markdown would act on are
// backslash-escaped. "|" is escaped too, which GitHub's tables honour even in
// code spans, so a name cannot add columns.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < ' ' || r == 0x7f:
			// dropped
		case strings.ContainsRune("\\`*_[]<>|~#!&$", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeURL percent-encodes the characters that would end a Markdown link
// destination or break a table row.
func escapeURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "|", "%7C", "`", "%60", "\\", "%5C", "\n", "", "\r", "").Replace(u)
}
