package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/releasekit/release-action/internal/publish"
)

// The invariants, by the name a broken one is reported under.
const (
	InvExit      = "exit"        // exit code 0 or 1, no crash, an ::error:: line when not 0, no token printed
	InvRelease   = "one-release" // one release for the tag once a run succeeded, published unless draft was asked; no orphan draft
	InvAssets    = "assets"      // each name once, no temporary copy, no broken upload, no stranger, bytes of one of the runs
	InvOthers    = "others"      // every other release, and assets no run names, as they were
	InvTruth     = "truth"       // a run that exits 0 says what the release held when it ended
	InvProgress  = "progress"    // with no fault injected, some run succeeds (the re-run, after a kill)
	tempSuffixRE = `\.replacing-`
)

var tempName = regexp.MustCompile(tempSuffixRE)

// Check returns the invariants the schedule broke, each as "[name] what".
func Check(o *Outcome) []string {
	var v violations
	succeeded := map[int]bool{}
	for _, r := range o.Runs {
		v.exit(r)
		if !r.Killed && r.Code == 0 {
			succeeded[r.Index] = true
			v.truth(r)
		}
	}
	v.progress(o, succeeded)
	rel, ok := v.release(o, succeeded)
	if ok {
		v.assets(o, rel, succeeded)
	}
	v.others(o)
	return v.list
}

type violations struct{ list []string }

func (v *violations) add(inv, format string, args ...any) {
	v.list = append(v.list, "["+inv+"] "+fmt.Sprintf(format, args...))
}

// exit: a run ends with 0 or 1 (it is never signalled here, except the one
// the model kills), never a crash, says why when it fails, and never prints
// its token.
func (v *violations) exit(r *RunResult) {
	if r.Killed {
		return
	}
	switch want := stoppedCode(r); {
	case r.Signal != "":
		v.add(InvExit, "run %d ended by %s", r.Index, r.Signal)
	case want != 0 && r.Code != want:
		v.add(InvExit, "run %d, stopped by %s, exited %d (want %d)", r.Index, r.Stopped, r.Code, want)
	case want == 0 && r.Code != 0 && r.Code != 1:
		v.add(InvExit, "run %d exited %d (want 0 or 1)", r.Index, r.Code)
	}
	for _, crash := range []string{"panic:", "fatal error:", "goroutine 1 ["} {
		if strings.Contains(r.Stderr, crash) || strings.Contains(r.Stdout, crash) {
			v.add(InvExit, "run %d crashed (%q in its output)", r.Index, crash)
			break
		}
	}
	// A failed run says why in an annotation. A run stopped by the runner's
	// cancel may instead say that it was stopped (the runner shows the step
	// as cancelled): its work may well have been done by then.
	switch {
	case r.Code == 0 || hasLinePrefix(r.Stdout, "::error"):
	case r.Stopped != "" && strings.Contains(r.Stderr+r.Stdout, r.Stopped):
	default:
		v.add(InvExit, "run %d exited %d without an ::error:: line", r.Index, r.Code)
	}
	if strings.Contains(r.Stdout, tokenLeak) || strings.Contains(r.Stderr, tokenLeak) {
		v.add(InvExit, "run %d printed its token", r.Index)
	}
	if r.OutErr != "" {
		v.add(InvExit, "run %d: GITHUB_OUTPUT: %s", r.Index, r.OutErr)
	}
}

// stoppedCode is the exit code of a run the model stopped with a signal:
// 128 plus the signal's number; 0 for a run not stopped.
func stoppedCode(r *RunResult) int {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		if r.Stopped == sig.String() {
			return 128 + int(sig)
		}
	}
	return 0
}

func hasLinePrefix(s, prefix string) bool {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// wantsDraft reports whether the run asked for a draft.
func wantsDraft(r Run) bool { return r.input("draft") == "true" }

// waited reports whether the run left the draft for another job to complete
// (expected_assets): it names what it waits for in the waiting_for output.
func waited(r *RunResult) bool {
	w := r.Outputs["waiting_for"]
	return w != "" && w != "[]"
}

// fanIn reports whether every run of the case names the set the release
// waits for (expected_assets): then, once every run succeeded, the set is
// complete and one of them must have published it.
func fanIn(c *Case) bool {
	for _, r := range c.Runs {
		if r.input("expected_assets") == "" {
			return false
		}
	}
	return len(c.Runs) > 0
}

// release: once any run succeeded, exactly one release has the tag, published
// unless every successful run asked for a draft or waited for another job's
// part (fan-in), and published when every run of a fan-in case succeeded;
// when none succeeded, no draft is left that was not there before.
func (v *violations) release(o *Outcome, succeeded map[int]bool) (ReleaseState, bool) {
	rels := o.Final.ForTag(Tag)
	before := len(o.Initial.ForTag(Tag))
	if len(succeeded) == 0 {
		if len(rels) > before {
			v.add(InvRelease, "no run succeeded, yet %d release(s) for %s are left where %d were before (orphan draft)", len(rels), Tag, before)
		}
		if len(rels) == 1 && before == 1 {
			return rels[0], true
		}
		return ReleaseState{}, false
	}
	if len(rels) != 1 {
		v.add(InvRelease, "%d releases for %s at the end, want exactly 1", len(rels), Tag)
		return ReleaseState{}, false
	}
	rel := rels[0]
	published := o.Case.Published != nil || fanIn(o.Case) && len(succeeded) == len(o.Runs)
	for _, r := range o.Runs {
		if succeeded[r.Index] && !wantsDraft(r.Spec) && !waited(r) {
			published = true
		}
	}
	if published && rel.Draft {
		v.add(InvRelease, "release %d for %s is still a draft, though a run that neither asked for one nor waited for another job succeeded, or every job of a fan-in did", rel.ID, Tag)
	}
	return rel, true
}

// contents lists, by file name, the bytes the case's runs hold.
func contents(c *Case) map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for _, r := range c.Runs {
		for name, content := range r.Files {
			if m[name] == nil {
				m[name] = map[string]bool{}
			}
			m[name][content] = true
		}
	}
	return m
}

// assets: on the release for the tag, every name at most once, every asset
// fully uploaded, no temporary copy, no name that neither a run nor the
// starting release had; every name a successful run publishes is there unless
// a run with delete_other_assets did not want it; and each run's file holds
// the bytes of one of the runs (the starting bytes only while no run with
// that file succeeded).
func (v *violations) assets(o *Outcome, rel ReleaseState, succeeded map[int]bool) {
	c := o.Case
	files := contents(c)
	seen := map[string]int{}
	for _, a := range rel.Assets {
		seen[a.Name]++
		if tempName.MatchString(a.Name) {
			v.add(InvAssets, "temporary copy %s (id %d) left on release %d", a.Name, a.ID, rel.ID)
			continue
		}
		if a.State != "uploaded" {
			v.add(InvAssets, "asset %s (id %d) left in state %q", a.Name, a.ID, a.State)
		}
		if _, ok := files[a.Name]; !ok {
			if _, seeded := c.Published[a.Name]; !seeded {
				v.add(InvAssets, "asset %s (id %d) is neither a run's file nor was on the release before", a.Name, a.ID)
			}
		}
	}
	for name, n := range seen {
		if n > 1 {
			v.add(InvAssets, "%d assets named %s on release %d", n, name, rel.ID)
		}
	}
	for _, name := range sortedKeys(files) {
		got := rel.Named(name)
		var anySucceeded, required bool
		for _, r := range o.Runs {
			if _, has := r.Spec.Files[name]; has && succeeded[r.Index] {
				anySucceeded = true
			}
		}
		required = anySucceeded && !deletedByChoice(c, name)
		if len(got) == 0 {
			if required {
				v.add(InvAssets, "%s is missing from release %d, though a run that publishes it succeeded", name, rel.ID)
			}
			continue
		}
		allowed := files[name]
		if seed, ok := c.Published[name]; ok && !anySucceeded {
			allowed = union(allowed, seed)
		}
		for _, a := range got {
			if a.Content == nil {
				v.add(InvAssets, "%s (id %d) has no content in the emulator", name, a.ID)
			} else if !allowed[string(a.Content)] {
				v.add(InvAssets, "%s (id %d) holds %s, the bytes of no run", name, a.ID, short(a.Content))
			}
		}
	}
}

// deletedByChoice reports whether a run with delete_other_assets does not
// publish name: that run may rightly delete it after another run uploaded it.
func deletedByChoice(c *Case, name string) bool {
	for _, r := range c.Runs {
		if _, has := r.Files[name]; !has && r.input("delete_other_assets") == "true" {
			return true
		}
	}
	return false
}

func union(m map[string]bool, extra string) map[string]bool {
	out := map[string]bool{extra: true}
	for k := range m {
		out[k] = true
	}
	return out
}

// others: every release but the one for the tag ends exactly as it began, and
// no new one appears; on the tag's release, an asset that no run publishes
// stays as it was unless a run with delete_other_assets may delete it.
func (v *violations) others(o *Outcome) {
	final := map[int64]ReleaseState{}
	for _, r := range o.Final.Releases {
		final[r.ID] = r
	}
	for _, r := range o.Initial.Releases {
		if r.Tag == Tag {
			continue
		}
		f, ok := final[r.ID]
		if !ok {
			v.add(InvOthers, "release %d (%s) was deleted", r.ID, r.Tag)
			continue
		}
		if f.Fingerprint() != r.Fingerprint() {
			v.add(InvOthers, "release %d (%s) changed:\nbefore:\n%safter:\n%s", r.ID, r.Tag, r.Fingerprint(), f.Fingerprint())
		}
	}
	for _, r := range o.Final.Releases {
		if r.Tag != Tag {
			if _, was := o.Initial.ByID(r.ID); !was {
				v.add(InvOthers, "a new release %d for another tag %q", r.ID, r.Tag)
			}
		}
	}
	files := contents(o.Case)
	for _, before := range o.Initial.ForTag(Tag) {
		after, ok := final[before.ID]
		if !ok {
			continue // the release check reports it
		}
		for _, a := range before.Assets {
			if _, mine := files[a.Name]; mine {
				continue
			}
			now := after.Named(a.Name)
			switch {
			case len(now) == 0 && deletedByChoice(o.Case, a.Name):
			case len(now) != 1 || now[0].ID != a.ID || string(now[0].Content) != string(a.Content):
				v.add(InvOthers, "asset %s (id %d), which no run publishes, changed or went", a.Name, a.ID)
			}
		}
	}
}

// truth: a run that exits 0 names, in its outputs, the release for the tag as
// it was when the run ended, and its assets output says what that release
// held then: every file of the run is there with the run's bytes, every entry
// (name, size, digest) matches the asset of that name, and what it says it
// deleted is gone.
func (v *violations) truth(r *RunResult) {
	if r.Outputs == nil {
		return // reported by exit
	}
	id, err := strconv.ParseInt(r.Outputs["id"], 10, 64)
	if err != nil {
		v.add(InvTruth, "run %d exited 0 with id output %q", r.Index, r.Outputs["id"])
		return
	}
	rel, ok := r.AtExit.ByID(id)
	if !ok || rel.Tag != Tag {
		v.add(InvTruth, "run %d exited 0 naming release %d, which was not the release for %s when it ended", r.Index, id, Tag)
		return
	}
	if rel.Draft && !wantsDraft(r.Spec) && !waited(r) {
		v.add(InvTruth, "run %d exited 0 while release %d was still a draft", r.Index, id)
	}
	if !rel.Draft && waited(r) {
		v.add(InvTruth, "run %d says it waits for %s, but release %d was published when it ended", r.Index, r.Outputs["waiting_for"], id)
	}
	var list []publish.AssetReport
	if err := json.Unmarshal([]byte(r.Outputs["assets"]), &list); err != nil {
		v.add(InvTruth, "run %d: assets output %q: %v", r.Index, r.Outputs["assets"], err)
		return
	}
	reported := map[string]bool{}
	for _, e := range list {
		if e.Action == publish.ActionDeleted {
			for _, a := range rel.Assets {
				if a.ID == e.ID {
					v.add(InvTruth, "run %d says it deleted %s (id %d), which was still on the release when it ended", r.Index, e.Name, e.ID)
				}
			}
			continue
		}
		reported[e.Name] = true
		got := rel.Named(e.Name)
		if len(got) != 1 {
			v.add(InvTruth, "run %d says %s %s, but %d assets of that name were on the release when it ended", r.Index, e.Name, e.Action, len(got))
			continue
		}
		a := got[0]
		if a.State != "uploaded" {
			v.add(InvTruth, "run %d says %s %s, but it was in state %q when the run ended", r.Index, e.Name, e.Action, a.State)
		}
		if e.Size != 0 && e.Size != a.Size {
			v.add(InvTruth, "run %d says %s is %d bytes, the release held %d when it ended", r.Index, e.Name, e.Size, a.Size)
		}
		if e.Digest != "" && e.Digest != digestOf(a) {
			v.add(InvTruth, "run %d says %s has digest %s, the release held %s when it ended", r.Index, e.Name, e.Digest, digestOf(a))
		}
	}
	for _, name := range sortedKeys(r.Spec.Files) {
		if !reported[name] {
			v.add(InvTruth, "run %d exited 0 without %s in its assets output", r.Index, name)
		}
		for _, a := range rel.Named(name) {
			if string(a.Content) != r.Spec.Files[name] {
				v.add(InvTruth, "run %d exited 0, but when it ended %s (id %d) held %s, not its bytes %s", r.Index, name, a.ID, short(a.Content), short([]byte(r.Spec.Files[name])))
			}
		}
	}
}

// digestOf is the asset's digest as GitHub reports it, or as its bytes give it.
func digestOf(a AssetState) string {
	if a.Digest != "" {
		return a.Digest
	}
	sum := sha256.Sum256(a.Content)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// progress: without injected faults, some run succeeds; after a kill, the
// re-run (alone by then) succeeds.
func (v *violations) progress(o *Outcome, succeeded map[int]bool) {
	if o.Case.Kill != nil {
		again := len(o.Case.Runs)
		if again < len(o.Runs) && !succeeded[again] {
			v.add(InvProgress, "the re-run (run %d, alone) exited %d", again, o.Runs[again].Code)
		}
		return
	}
	if len(succeeded) == 0 {
		v.add(InvProgress, "no run succeeded")
	}
}
