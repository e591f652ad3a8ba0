// Package publish creates or updates the GitHub release for a tag and converges
// its assets with the local files, idempotently: a re-run, or several matrix jobs
// at once, end in one release holding the same assets.
//
// One run, file by file:
//
//   - job.go: the Job (every input already validated, every file found) and the
//     Publisher that runs it;
//   - lifecycle.go: find the release (drafts are only in listings), create it as
//     a draft and settle a racing create, update the fields the user set,
//     publish last, and remove a draft this run created when it fails;
//   - reconcile.go: list the release's assets once, compute the digests the plan
//     needs, and make the run's one asset plan, which the immutable check, the
//     dry run and the executor all use;
//   - plan.go: the pure planner (MakePlan) and its vocabulary of steps;
//   - apply.go: the executor, which carries the plan out, logs each step,
//     shows the uploads on the Publisher's progress.Meter and reports what it
//     uploaded;
//   - checksums.go: the checksum list, written after the other assets;
//   - landed.go: a create whose answer was lost is looked for before it is sent
//     again; cleanup.go: what a failed or cancelled run removes, and when;
//   - result.go: what the run did, for internal/report.
//
// It talks to GitHub only through the GitHub interface declared in github.go; the
// adapter over go-github lives in internal/ghclient, the unit tests use an
// in-memory fake (fake_test.go), and the end-to-end tests use internal/emulator.
package publish
