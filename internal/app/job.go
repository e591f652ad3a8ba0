package app

import (
	"errors"
	"fmt"
	"os"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/inputs"
	"github.com/releasekit/release-action/internal/publish"
)

// newJob is the one place where the parsed inputs become the publisher's job. It
// does every check that needs the disk, before any request: the notes file, the
// working directory and the files patterns. All problems come together.
//
// Every input of action.yml reaches the job here (most through the embedded
// core.Settings), or is named in notInJob; job_test.go fails when an input
// reaches neither.
func newJob(cfg *inputs.Config) (*publish.Job, error) {
	j := &publish.Job{
		Settings:   cfg.Settings,
		Repository: cfg.Owner + "/" + cfg.Repo,
		Body:       cfg.Body,
		BodySet:    cfg.Body != "",
		Words:      cfg.Words,
		// attest.go
		AttestationsURL: attestationsURL(cfg),
	}
	var errs []error
	w := cfg.Words
	if cfg.BodyPath != "" {
		b, err := readBody(cfg.BodyFile)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: cannot use %s: %w", w.Input("body_path"), cfg.BodyPath, err))
		} else {
			j.Body, j.BodySet = b, true
		}
	}
	if err := changelogSection(cfg, j); err != nil {
		errs = append(errs, err)
	}
	files, warnings, err := matchFiles(cfg)
	errs = append(errs, err...)
	if len(err) == 0 {
		errs = append(errs, checkFiles(cfg, files)...)
	}
	j.Files, j.Warnings = files, warnings
	errs = append(errs, bundleCollisions(cfg, files)...)
	if cfg.Checksums != "" {
		stored := assets.GitHubName(cfg.Checksums)
		for _, f := range j.Files {
			if f.StoredName == stored {
				errs = append(errs, fmt.Errorf("%s: %s would have the same asset name as the matched file %s; pick another name", w.Input("checksums"), cfg.Checksums, f.Rel))
			}
		}
	}
	expected, err := expectedAssets(cfg) // complete.go
	j.Expected, errs = expected, append(errs, err...)
	return j, errors.Join(errs...)
}

// matchFiles checks the working directory and finds the files the patterns name,
// with one error per problem, and one warning per pattern that matched nothing
// when that is not an error.
func matchFiles(cfg *inputs.Config) ([]assets.File, []string, []error) {
	w := cfg.Words
	st, err := os.Stat(cfg.WorkingDirectory)
	switch {
	case err != nil:
		return nil, nil, []error{fmt.Errorf("%s: %s: %w", w.Input("working_directory"), cfg.WorkingDirectory, unwrapPath(err))}
	case !st.IsDir():
		return nil, nil, []error{fmt.Errorf("%s: %s is not a directory", w.Input("working_directory"), cfg.WorkingDirectory)}
	case len(cfg.Files) == 0:
		return nil, nil, nil
	}
	m, err := assets.MatchAll(cfg.WorkingDirectory, cfg.Files, assets.Options{
		FailOnUnmatched: cfg.FailOnUnmatched,
		FollowOutside:   cfg.FollowSymlinks,
		OutsideHint:     "set " + w.Set("follow_symlinks", "true") + " to upload it anyway",
	})
	var errs []error
	if err != nil {
		for _, e := range flatten(err) { // one annotation per problem
			errs = append(errs, fmt.Errorf("%s: %w", w.Input("files"), e))
		}
	}
	var warnings []string
	for _, p := range m.Unmatched {
		warnings = append(warnings, fmt.Sprintf("%s: pattern %q matched no file, so nothing is uploaded for it (%s)",
			w.Input("files"), p, w.Set("fail_on_unmatched_files", "false")))
	}
	return m.Files, warnings, errs
}
