package notes

import "strings"

// The armour lines that open a signature git appends to a signed tag: OpenPGP
// (gpg), X.509 (gpgsm) and SSH. https://git-scm.com/docs/gitformat-signature
var signatureStarts = []string{
	"-----BEGIN PGP SIGNATURE-----",
	"-----BEGIN PGP MESSAGE-----",
	"-----BEGIN SIGNED MESSAGE-----",
	"-----BEGIN SSH SIGNATURE-----",
}

// TagMessage turns an annotated tag's message into release text: the signature
// block a signed tag carries at its end is removed, and so are blank lines
// around the text. As git does, the signature starts at the last line that is
// one of the armour headers and runs to the end of the message.
func TagMessage(msg string) string {
	msg = strings.ReplaceAll(msg, "\r\n", "\n")
	cut := -1
	for at := 0; at < len(msg); {
		line, _, _ := strings.Cut(msg[at:], "\n")
		if isSignatureStart(line) {
			cut = at
		}
		at += len(line) + 1
	}
	if cut >= 0 {
		msg = msg[:cut]
	}
	return trimBlankLines(msg)
}

func isSignatureStart(line string) bool {
	line = strings.TrimRight(line, " \t")
	for _, s := range signatureStarts {
		if line == s {
			return true
		}
	}
	return false
}
