package publish

import (
	"context"
	"errors"
)

// errNoHistory: the fake does not model the history notes_paths reads; its
// tests run against the emulator (internal/app).
var errNoHistory = errors.New("fake: commits, their files and pull requests are not modelled; test notes_paths against the emulator")

func (f *fakeGitHub) CommitsBetween(context.Context, string, string, int, int) ([]string, int, error) {
	return nil, 0, errNoHistory
}

func (f *fakeGitHub) CommitFiles(context.Context, string, int) ([]string, error) {
	return nil, errNoHistory
}

func (f *fakeGitHub) MergedPulls(context.Context, string) ([]int, error) { return nil, errNoHistory }
