// Package lies holds the property tests that run the real action against a
// server that lies (internal/hostile's Proxy in front of internal/emulator):
// for every generated set of lies, the run either ends with exactly the release
// it was asked for or fails with an error that says why, and it never changes
// a release or asset it did not identify. The package has no code of its own.
package lies
