package app

import (
	"errors"
	"fmt"
	"io"
	"os"

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
	src, err := readBounded(cfg.ChangelogFile, maxChangelog)
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

// readBounded reads a file of at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errors.New("it is larger than 4 MiB")
	}
	return b, nil
}
