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
// inputs.Settings), or is named in notInJob; job_test.go fails when an input
// reaches neither.
func newJob(cfg *inputs.Config) (*publish.Job, error) {
	j := &publish.Job{
		Settings:   cfg.Settings,
		Repository: cfg.Owner + "/" + cfg.Repo,
		Body:       cfg.Body,
		BodySet:    cfg.Body != "",
	}
	var errs []error
	if cfg.BodyPath != "" {
		b, err := readBody(cfg.BodyFile)
		if err != nil {
			errs = append(errs, fmt.Errorf("input \"body_path\": cannot use %s: %w", cfg.BodyPath, err))
		} else {
			j.Body, j.BodySet = b, true
		}
	}
	files, err := matchFiles(cfg)
	errs = append(errs, err...)
	if len(err) == 0 {
		errs = append(errs, checkFiles(cfg, files)...)
	}
	j.Files = files
	if cfg.Checksums != "" {
		stored := assets.GitHubName(cfg.Checksums)
		for _, f := range j.Files {
			if f.StoredName == stored {
				errs = append(errs, fmt.Errorf("input \"checksums\": %s would have the same asset name as the matched file %s; pick another name", cfg.Checksums, f.Rel))
			}
		}
	}
	return j, errors.Join(errs...)
}

// matchFiles checks the working directory and finds the files the patterns name,
// with one error per problem.
func matchFiles(cfg *inputs.Config) ([]assets.File, []error) {
	st, err := os.Stat(cfg.WorkingDirectory)
	switch {
	case err != nil:
		return nil, []error{fmt.Errorf("input \"working_directory\": %s: %w", cfg.WorkingDirectory, unwrapPath(err))}
	case !st.IsDir():
		return nil, []error{fmt.Errorf("input \"working_directory\": %s is not a directory", cfg.WorkingDirectory)}
	case len(cfg.Files) == 0:
		return nil, nil
	}
	files, err := assets.MatchWith(cfg.WorkingDirectory, cfg.Files, assets.Options{
		FailOnUnmatched: cfg.FailOnUnmatched,
		FollowOutside:   cfg.FollowSymlinks,
		OutsideHint:     "set follow_symlinks: true to upload it anyway",
	})
	var errs []error
	if err != nil {
		for _, e := range flatten(err) { // one annotation per problem
			errs = append(errs, fmt.Errorf("input \"files\": %w", e))
		}
	}
	return files, errs
}
