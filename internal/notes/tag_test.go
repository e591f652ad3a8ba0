package notes

import "testing"

func TestTagMessage(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"unsigned", "Release 1.2.3\n\n- fixes\n", "Release 1.2.3\n\n- fixes"},
		{
			"pgp signature removed",
			"Release 1.2.3\n\nNotes.\n-----BEGIN PGP SIGNATURE-----\n\niQIzBAABCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n",
			"Release 1.2.3\n\nNotes.",
		},
		{
			"ssh signature removed",
			"v2\n\n-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ\n-----END SSH SIGNATURE-----\n",
			"v2",
		},
		{
			"x509 signature removed",
			"v3 notes\n-----BEGIN SIGNED MESSAGE-----\nMIAGCSqGSIb3\n-----END SIGNED MESSAGE-----\n",
			"v3 notes",
		},
		{
			"crlf message",
			"Line one\r\n\r\n-----BEGIN PGP SIGNATURE-----\r\nabc\r\n-----END PGP SIGNATURE-----\r\n",
			"Line one",
		},
		{
			"an armour line quoted inside a line is text",
			"Paste it after `-----BEGIN PGP SIGNATURE-----` to check.\n",
			"Paste it after `-----BEGIN PGP SIGNATURE-----` to check.",
		},
		{
			"only the last block is the signature",
			"Key:\n-----BEGIN PGP MESSAGE-----\nquoted\n-----END PGP MESSAGE-----\nAfter.\n-----BEGIN PGP SIGNATURE-----\nsig\n-----END PGP SIGNATURE-----\n",
			"Key:\n-----BEGIN PGP MESSAGE-----\nquoted\n-----END PGP MESSAGE-----\nAfter.",
		},
		{"signature only", "-----BEGIN PGP SIGNATURE-----\nsig\n-----END PGP SIGNATURE-----\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := TagMessage(tc.in); got != tc.want {
				t.Errorf("TagMessage(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
