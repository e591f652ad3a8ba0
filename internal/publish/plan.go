package publish

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/attest"
	"github.com/releasekit/release-action/internal/core"
)

// Op is what a step does to the release.
type Op string

const (
	OpKeep    Op = "keep"    // the asset already holds the file's content
	OpUpload  Op = "upload"  // no asset of that name yet
	OpReplace Op = "replace" // an asset of that name holds other content, or is broken
	OpDelete  Op = "delete"  // an asset no pattern matched (delete_other_assets), or a leftover
)

// Action is the past tense of the op: what the assets output says happened to
// an asset once the step succeeded.
func (o Op) Action() Action {
	switch o {
	case OpKeep:
		return ActionKept
	case OpUpload:
		return ActionUploaded
	case OpReplace:
		return ActionReplaced
	case OpDelete:
		return ActionDeleted
	}
	return Action(o)
}

// Intent is what a dry run says a real run would do with the step.
func (o Op) Intent() Action {
	switch o {
	case OpKeep:
		return ActionWouldKeep
	case OpUpload:
		return ActionWouldUpload
	case OpReplace:
		return ActionWouldReplace
	case OpDelete:
		return ActionWouldDelete
	}
	return Action("would_" + string(o))
}

// Local is a matched file, with its sha256 when the planner needs it.
type Local struct {
	assets.File
	SHA256 string // hex; "" when not computed
	// Generated marks a file the run wrote for the release (an attestation
	// bundle): replaced whatever overwrite says, and not itself attested.
	Generated bool
	// Attests is, for a bundle, the asset it attests: another run's bundle
	// that covers the same asset and digest is as good as this one.
	Attests *attest.Subject
}

// Step is one change (or non-change) the executor makes.
type Step struct {
	Op     Op     `json:"op"`
	Name   string `json:"name"`             // the asset's name on the release when done
	Label  string `json:"label,omitempty"`  // label to set; "" leaves the label alone
	Path   string `json:"path,omitempty"`   // local file, relative to working_directory
	Size   int64  `json:"size,omitempty"`   // local size
	Reason string `json:"reason"`           // why, in words, for the log and the plan
	Rename bool   `json:"rename,omitempty"` // keep: the asset exists under another name; rename it
	// Relabel is set on a keep whose label differs from Label.
	Relabel bool `json:"relabel,omitempty"`
	// Room is set on a delete that makes room under the asset cap
	// (prune_assets, retain.go): it runs before the uploads.
	Room bool `json:"room,omitempty"`

	Local  *Local `json:"-"`
	Remote *Asset `json:"-"`
	// RemoteID is Remote.ID, for the JSON plan.
	RemoteID int64 `json:"remote_id,omitempty"`
}

// Changes reports whether the step changes the release.
func (s Step) Changes() bool { return s.Op != OpKeep || s.Rename || s.Relabel }

// PlanOptions are the inputs that shape a plan.
type PlanOptions struct {
	Overwrite   bool // replace an asset whose content differs
	DeleteOther bool // delete assets no local file matched
	// Words name the inputs in the plan's refusals: inputs in a workflow,
	// flags in a terminal.
	Words core.Vocabulary
	// Me and Now tell a dead run's temporary asset, which the plan deletes,
	// from a live run's, which it leaves alone (temps.go).
	Me  runTag
	Now time.Time
}

// ErrOverwriteRefused is returned for an asset that differs while overwrite is false.
var ErrOverwriteRefused = errors.New("overwrite is false")

// MakePlan decides, for every local file and remote asset, what to do. It is pure:
// the caller supplies sha256 digests for local files whose size equals a
// same-named asset's (the only case where content decides), and fills in the
// Digest of remote assets GitHub reported none for, when it can.
//
// Matching: a local file matches the asset with its stored name (GitHub's renaming
// applied). Failing that, it matches an asset whose label is the file's label and
// whose name no local file claims: that asset is the file's previous version.
func MakePlan(remote []*Asset, local []Local, opt PlanOptions) ([]Step, error) {
	m := newMatcher(remote, local)
	var steps []Step
	var errs []error
	for i := range local {
		s, err := m.step(&local[i], opt)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		steps = append(steps, s)
	}
	steps = append(steps, m.leftovers(remote, opt)...)
	sort.SliceStable(steps, func(i, j int) bool {
		if steps[i].Name != steps[j].Name {
			return steps[i].Name < steps[j].Name
		}
		return steps[i].Op < steps[j].Op
	})
	return steps, errors.Join(errs...)
}

// matcher pairs local files with remote assets: by stored name first, then by
// label among the assets no local file claims by name.
type matcher struct {
	byName  map[string]*Asset
	byLabel map[string][]*Asset
	claimed map[int64]bool // assets some local file matched
}

func newMatcher(remote []*Asset, local []Local) *matcher {
	m := &matcher{byName: map[string]*Asset{}, byLabel: map[string][]*Asset{}, claimed: map[int64]bool{}}
	for _, a := range remote {
		m.byName[a.Name] = a
	}
	for i := range local {
		if a, ok := m.byName[local[i].StoredName]; ok {
			m.claimed[a.ID] = true
		}
	}
	for _, a := range remote {
		if a.Label != "" && !m.claimed[a.ID] && !tempPattern.MatchString(a.Name) {
			m.byLabel[a.Label] = append(m.byLabel[a.Label], a)
		}
	}
	return m
}

// step decides what to do for one local file; an error is a refusal to overwrite.
func (m *matcher) step(l *Local, opt PlanOptions) (Step, error) {
	label := desiredLabel(l)
	s := Step{Name: l.StoredName, Label: label, Path: l.Rel, Size: l.Size, Local: l}
	r := m.byName[l.StoredName]
	if r == nil {
		if cands := m.byLabel[label]; label != "" && len(cands) == 1 && !m.claimed[cands[0].ID] {
			r = cands[0]
			m.claimed[r.ID] = true
			s.Rename = true
		}
	}
	s.Remote = r
	if r != nil {
		s.RemoteID = r.ID
	}
	switch {
	case r == nil:
		s.Op, s.Reason = OpUpload, "new asset"
	case r.State != "" && r.State != "uploaded":
		// A broken upload is no one's content: always replaced, whatever overwrite says.
		s.Op, s.Reason, s.Rename = OpReplace, fmt.Sprintf("existing asset is broken (state %q)", r.State), false
	case sameContent(r, l):
		s.Op = OpKeep
		s.Reason = "same size and sha256"
		if s.Rename {
			s.Reason += fmt.Sprintf(", stored as %s (matched by label)", r.Name)
		}
		s.Relabel = label != "" && label != r.Label
	case !opt.Overwrite && !l.Generated:
		return Step{}, fmt.Errorf("asset %s: %w: the release holds other content under this name (%s); set %s to replace it", describe(r), ErrOverwriteRefused, l.Rel, opt.Words.Set("overwrite", "true"))
	default:
		s.Op, s.Reason = OpReplace, contentReason(r, l)
		if s.Rename {
			s.Reason = fmt.Sprintf("previous version %s (matched by label %q)", r.Name, label)
		}
	}
	return s, nil
}

// leftovers deletes the assets no local file matched: a dead run's temporary
// copies always, the others with delete_other_assets. A live run's temporary
// copy is never deleted: that run renames it, or removes it itself.
func (m *matcher) leftovers(remote []*Asset, opt PlanOptions) []Step {
	var steps []Step
	for _, a := range remote {
		if m.claimed[a.ID] {
			continue
		}
		switch _, kind := opt.Me.classify(a, opt.Now); kind {
		case tempDead, tempMine:
			steps = append(steps, Step{Op: OpDelete, Name: a.Name, Remote: a, RemoteID: a.ID, Reason: "left by an interrupted replacement"})
			continue
		case tempLive:
			continue
		}
		if opt.DeleteOther {
			steps = append(steps, Step{Op: OpDelete, Name: a.Name, Remote: a, RemoteID: a.ID, Reason: "matched by no pattern (" + opt.Words.Set("delete_other_assets", "true") + ")"})
		}
	}
	return steps
}

// desiredLabel is the user's label, or the original file name when GitHub will
// store the file under another name, so people still see what they uploaded.
func desiredLabel(l *Local) string {
	if l.Label != "" {
		return l.Label
	}
	if l.StoredName != l.Name {
		return l.Name
	}
	return ""
}

func sameContent(r *Asset, l *Local) bool {
	return r.Size == l.Size && r.SHA256() != "" && l.SHA256 != "" && r.SHA256() == l.SHA256
}

func contentReason(r *Asset, l *Local) string {
	switch {
	case r.Size != l.Size:
		return fmt.Sprintf("content differs (%d bytes on the release, %d on disk)", r.Size, l.Size)
	case r.SHA256() == "":
		return "GitHub reports no digest for the existing asset"
	default:
		return "content differs (sha256)"
	}
}

func describe(a *Asset) string {
	return fmt.Sprintf("%s (id %d)", a.Name, a.ID)
}

// NeedsLocalDigest reports whether the planner must know l's sha256: only when an
// asset it may match has the same size.
func NeedsLocalDigest(remote []*Asset, l *Local) bool {
	for _, a := range remote {
		if (a.Name == l.StoredName || (a.Label != "" && a.Label == desiredLabel(l))) && a.Size == l.Size {
			return true
		}
	}
	return false
}

// FormatPlan renders steps as text for people, one line each.
func FormatPlan(steps []Step) string {
	if len(steps) == 0 {
		return "no asset changes\n"
	}
	var b strings.Builder
	for _, s := range steps {
		op := string(s.Op)
		if s.Op == OpKeep && s.Rename {
			op = "rename"
		} else if s.Op == OpKeep && s.Relabel {
			op = "relabel"
		}
		fmt.Fprintf(&b, "%-8s %s", op, s.Name)
		if s.Path != "" && s.Path != s.Name {
			fmt.Fprintf(&b, " <- %s", s.Path)
		}
		if s.Label != "" {
			fmt.Fprintf(&b, " [label %q]", s.Label)
		}
		fmt.Fprintf(&b, ": %s\n", s.Reason)
	}
	return b.String()
}
