package publish

import (
	"os"
	"path/filepath"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/core"
	"github.com/releasekit/release-action/internal/progress"
	"github.com/releasekit/release-action/internal/retry"
)

// Job is one run's request, with every input already validated and every local
// file already found: nothing in it can fail for the user's input any more.
// internal/app builds it, in one place, from the parsed inputs; the settings
// that need no local check arrive embedded, as the parser wrote them.
type Job struct {
	core.Settings

	Repository string // "owner/name", for messages
	Body       string // the user's notes (body or the content of body_path)
	BodySet    bool   // the user gave body or body_path
	Changelog  string // the tag's section of body_from_changelog; "" = none
	Files      []assets.File
	// Expected are the assets the release must hold before it is published
	// (expected_assets; complete.go); none: the run's own files suffice.
	Expected []assets.Expected
	// Warnings are what building the job found that is worth saying but not an
	// error (a files pattern that matched nothing); the caller logs them.
	Warnings []string
	// Words name the inputs in messages (inputs.Config.Words).
	Words core.Vocabulary
	// AttestationsURL is the web page of the repository's attestations
	// ("https://github.com/owner/name/attestations"), to which an
	// attestation's id is appended in the outputs; "" names none.
	AttestationsURL string
}

// Logger receives what the run does, line by line.
type Logger interface {
	Infof(format string, args ...any)
	Warningf(format string, args ...any)
	Group(title string)
	EndGroup()
}

// Publisher runs jobs against GitHub.
type Publisher struct {
	GH  GitHub
	Log Logger
	// Meter shows the uploads' progress (bars on a terminal, lines elsewhere);
	// nil shows none.
	Meter *progress.Meter
	// TempDir holds generated files (the checksum list); "" = os.TempDir().
	TempDir string
	// Signer signs build provenance for attest: true; nil cannot attest.
	Signer Signer
	// TrustedRoot, when set, verifies the signatures of what the run reads
	// back: GitHub's release attestation (verify), and the bundles it signs
	// (attest), before they are attached. Nil: only their content is checked.
	TrustedRoot trustedRoot
	// Hour is the run's count of writes against GitHub's hour window, shared
	// with the client (hour.go); nil counts nothing and stops nothing.
	Hour *retry.HourGate
}

// tempFile writes generated content where the executor can upload it from, in a
// directory of its own that Run removes when it ends, whatever the outcome.
func (r *run) tempFile(name string, content []byte) (string, error) {
	dir, err := os.MkdirTemp(r.p.TempDir, "release-action-")
	if err != nil {
		return "", err
	}
	r.tempDirs = append(r.tempDirs, dir)
	path := filepath.Join(dir, name)
	return path, os.WriteFile(path, content, 0o644)
}

// removeTempDirs removes the directories tempFile made; a failure only costs disk
// space in the temporary directory, so it is logged, not returned.
func (r *run) removeTempDirs() {
	for _, dir := range r.tempDirs {
		if err := os.RemoveAll(dir); err != nil {
			r.p.Log.Warningf("could not remove the temporary directory %s: %v", dir, err)
		}
	}
	r.tempDirs = nil
}
