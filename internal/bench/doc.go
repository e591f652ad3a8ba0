// Package bench measures the release action against the project's GitHub API
// emulator on loopback, for the figures quoted in docs/benchmarks.md.
//
// The action runs as a child process (the binary built from the repository root),
// one process per run, so that its wall time, CPU time and peak resident set size
// are its own; the emulator runs inside the benchmarking process. Each scenario
// prints what it measured and one VERDICT line per target. Timings depend on the
// machine: compare ratios taken within one run, not figures across machines.
//
// cmd/bench is the command; tests in this package run the scenario logic with the
// action in-process and assert only functional outcomes, never timings.
package bench
