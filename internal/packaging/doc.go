// Package packaging holds no code, only tests: they check how the action is
// packaged (the Dockerfile, the two action.yml files) without Docker. The
// Dockerfile's rules are checked on its text, the binary it builds is run in
// an empty chroot laid out like the image, and action.yml is compared with the
// inputs the program parses and the outputs it writes. The portable composite
// action (portable/action.yml) is held to the same interface, and its install
// script and steps are run against a release served on loopback.
// docs/packaging.md explains why each rule exists.
package packaging
