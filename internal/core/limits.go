package core

import "fmt"

// MaxBodyChars is the most characters GitHub takes in a release body; more is
// a 422 on create or update, after the draft may already exist.
const MaxBodyChars = 125_000

// BodyTooLong says that notes are over GitHub's limit; n < 0 means the count
// is not known (the file was not read to its end).
func BodyTooLong(n int) string {
	if n < 0 {
		return fmt.Sprintf("it holds more than the %d characters GitHub takes in a release body", MaxBodyChars)
	}
	return fmt.Sprintf("it holds %d characters, more than the %d GitHub takes in a release body", n, MaxBodyChars)
}
