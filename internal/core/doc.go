// Package core holds the words of a job that the parser (internal/inputs)
// builds and the publisher (internal/publish) works in: the Settings that pass
// from the inputs to the job unchanged, the Vocabulary that names an input in
// a message, the values of the modal inputs (move_tag, verify), GitHub's limit
// on a release body, the run's identity among concurrent runs, and the SemVer
// rules that both prerelease: auto and make_latest: semver apply.
//
// It imports nothing of the module: the core owns its words, and the parser
// produces them (TestTheCoreDoesNotImportTheParser).
package core
