package publish

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/releasekit/release-action/internal/core"
)

// A replacement uploads the new content under a temporary name first (see
// replace.go). That temporary asset belongs to one run: its name says which,
//
//	NAME.replacing-RUNID-ATTEMPT-NONCE   in a workflow (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT)
//	NAME.replacing-NONCE                 elsewhere, and in names older runs left
//
// where NONCE is eight hex digits drawn once per run (matrix jobs share the run
// id and attempt; the nonce tells them apart). Another run never deletes it
// while its owner may still be alive; it is a dead run's leftover, which any
// later run removes, when
//   - it names the same workflow run with an earlier attempt: GitHub starts a
//     re-run only once every job of the previous attempt has ended; or
//   - it is older than tempLease: no run keeps one temporary copy that long.
//
// Everything else (a matrix sibling's, another workflow run's within the lease)
// is a live run's and is left alone, even by delete_other_assets.

// tempLease is how long a temporary copy may belong to a live run. A temporary
// copy lives from the start of its upload to its rename: at most one upload of
// under 2 GiB and two requests. GitHub-hosted jobs end after 6 hours; a
// replacement that takes longer on a self-hosted runner can lose its copy to
// another run, and then fails its rename and says so.
const tempLease = 6 * time.Hour

// tempPattern recognises temporary names: 1 the stored name, 2 the run id,
// 3 the attempt, 4 the nonce.
var tempPattern = regexp.MustCompile(`^(.+)\.replacing-(?:([0-9]{1,19})-([0-9]{1,7})-)?([0-9a-f]{8})$`)

// runTag is this run's identity in temporary names.
type runTag struct {
	core.RunIdentity
	nonce string
}

func newRunTag(id core.RunIdentity) runTag {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return runTag{RunIdentity: id, nonce: hex.EncodeToString(b[:])}
}

// TempName is the name this run uploads a replacement of stored under. It
// survives GitHub's renaming unchanged.
func (t runTag) TempName(stored string) string {
	if t.ID > 0 && t.Attempt > 0 {
		return fmt.Sprintf("%s.replacing-%d-%d-%s", stored, t.ID, t.Attempt, t.nonce)
	}
	return stored + ".replacing-" + t.nonce
}

// tempKind is what a temporary asset is to this run.
type tempKind int

const (
	notTemp  tempKind = iota
	tempMine          // this run's own
	tempDead          // a dead run's leftover: removed
	tempLive          // a run that may still be working: left alone
)

// temp is what a name says about its owner.
type temp struct {
	base    string // the stored name it replaces
	runID   int64
	attempt int
	nonce   string
}

func parseTemp(name string) (temp, bool) {
	m := tempPattern.FindStringSubmatch(name)
	if m == nil {
		return temp{}, false
	}
	t := temp{base: m[1], nonce: m[4]}
	if m[2] != "" {
		t.runID, _ = strconv.ParseInt(m[2], 10, 64)
		a, _ := strconv.Atoi(m[3])
		t.attempt = a
	}
	return t, true
}

// owner describes a temporary asset's run for messages.
func (p temp) owner() string {
	if p.runID > 0 {
		return fmt.Sprintf("run %d, attempt %d", p.runID, p.attempt)
	}
	return "a run outside a workflow or from an older version"
}
