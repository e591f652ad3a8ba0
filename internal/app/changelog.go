package app

import (
	"errors"
	"fmt"

	"github.com/releasekit/release-action/internal/inputs"
	"github.com/releasekit/release-action/internal/notes"
	"github.com/releasekit/release-action/internal/publish"
)

// maxChangelog bounds what body_from_changelog reads: long changelogs of old
// projects run to a few hundred KiB, and a release body holds at most 125,000
// characters anyway.
const maxChangelog = 4 << 20

// changelogSection reads body_from_changelog and cuts the tag's section into
// the job, before any request: a missing file or section fails the run with
// nothing changed, naming the file and the headings it does hold.
func changelogSection(cfg *inputs.Config, j *publish.Job) error {
	if cfg.ChangelogPath == "" || cfg.Tag == "" {
		return nil
	}
	src, err := readRegular(cfg.ChangelogFile, maxChangelog)
	if errors.Is(err, errTooLarge) {
		err = fmt.Errorf("it is larger than %d MiB", maxChangelog>>20)
	}
	if err != nil {
		return fmt.Errorf("%s: cannot read %s: %w", cfg.Words.Input("body_from_changelog"), cfg.ChangelogPath, unwrapPath(err))
	}
	section, err := notes.ChangelogSection(cfg.ChangelogPath, src, cfg.Tag)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.Words.Input("body_from_changelog"), err)
	}
	j.Changelog = section
	return nil
}
