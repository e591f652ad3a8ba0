//go:build !unix

package ghclient

// noFollow is not offered by os.OpenFile here (Windows follows reparse points);
// the identity check on the opened file refuses a file that is not the one
// matched.
const noFollow = 0
