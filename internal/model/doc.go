// Package model explores the interleavings of concurrent runs of the action
// and checks, after each, that the release ends as the project promises.
//
// A case starts two to four real runs of the action, each a process of the
// binary built from the module's root, with a runner's environment
// (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_JOB, GITHUB_SHA, INPUT_*, ...)
// and INPUT_MAX_PARALLEL=1, against one emulator (internal/emulator). Each run
// has its own token, which is how the scheduler tells the runs' requests apart.
//
// The scheduler is the emulator's Options.Hold: every request waits there
// before the emulator does anything with it. The model waits until the
// schedule is quiescent (every live run holds exactly one request, or has
// exited), lets one held request through, waits until the emulator has
// answered it, and waits for quiescence again. A schedule is the sequence of
// runs whose request went through; given the same sequence, the runs send the
// same requests, which the search checks as it replays prefixes.
//
// Letting one request through at a time makes each request atomic in the
// model: two requests are never served at once, so an upload's "starter"
// asset, which the emulator shows while a body arrives, is never seen by
// another run. Network faults, lost answers and rate limits are not modelled
// here (internal/hostile and the emulator's faults cover them); neither are
// clocks (created_at comes from the real clock).
//
// Exploration is exhaustive (Harness.Exhaustive: depth first over choice
// sequences, each schedule driven again from scratch) for the smallest cases,
// random (Harness.Random: uniform among the held requests, with a printed
// seed) for larger ones. The exhaustive search uses sleep sets: two reads
// (GET) of different runs commute, since neither changes the emulator's state
// and each run gets the same answer in either order, so once the search has
// explored one order it does not explore the other until a request that does
// not commute with the sleeping one goes through. Every other pair is taken
// as dependent. Sleep sets keep every Mazurkiewicz trace, so every reachable
// state, every run's view and every state at a run's exit is still checked;
// TestExhaustiveReachesEveryState checks it against full enumeration on
// generated programs. The emulator's rate-limit headers do differ between the
// two orders of two reads; the model assumes the action ignores them while
// thousands of requests remain, which is the case.
//
// A run can be killed with SIGKILL when it sends its k-th request (the
// request still reaches the emulator, which answers it after the process
// died), or sent SIGTERM then, like the runner's cancel (the model waits until
// the run abandoned that request, lets it through, and schedules the run's
// cleanup like any other requests); once every other run is done, it runs
// again alone as the next attempt of the same workflow run.
//
// After every schedule, Check tests the invariants (check.go): exit codes,
// one release for the tag, the assets on it, other releases untouched, each
// successful run's outputs true of the release at the moment the run exited
// (the emulator's state is taken then), and progress. A failing schedule's
// Report holds the MODEL_REPLAY value that replays it, the steps, the states
// and every run's log. docs/model.md has the figures and the knobs.
package model
