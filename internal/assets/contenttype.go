package assets

import "strings"

// ContentType returns the media type to upload a file called name with.
//
// The table is built in because mime.TypeByExtension reads /etc/mime.types, which a
// minimal container lacks: there, .tgz, .deb or .dmg would all become
// application/octet-stream. The longest known suffix wins, ignoring case, so
// "app.tar.gz" is a gzip file and "sbom.spdx.json" an SPDX document rather than plain
// JSON. Unknown names get application/octet-stream, which GitHub serves as a download.
func ContentType(name string) string {
	lower := strings.ToLower(name)
	// The first "." gives the longest suffix, so try each "." from the left.
	for i := 0; i < len(lower); i++ {
		if lower[i] != '.' {
			continue
		}
		if t, ok := contentTypes[lower[i:]]; ok {
			return t
		}
	}
	for _, s := range checksumSuffixes {
		if strings.HasSuffix(lower, s) {
			return "text/plain"
		}
	}
	return "application/octet-stream"
}

// checksumSuffixes end the names of checksum lists that have no extension, such as
// SHA256SUMS or terraform_1.9.0_SHA256SUMS.
var checksumSuffixes = []string{"sha1sums", "sha256sums", "sha512sums", "md5sums", "b2sums"}

// contentTypes maps lower-case suffixes to media types. Registered IANA types are used
// where they exist; otherwise the type that freedesktop.org's shared-mime-info or the
// format's own documentation uses. Formats that are plain zip archives without a type
// of their own (wheels, NuGet and VSIX packages) are sent as application/zip.
var contentTypes = map[string]string{
	// Compressed tarballs and compressors.
	".tar.gz":  "application/gzip",
	".tgz":     "application/gzip",
	".gz":      "application/gzip",
	".tar.bz2": "application/x-bzip2",
	".tbz2":    "application/x-bzip2",
	".tbz":     "application/x-bzip2",
	".bz2":     "application/x-bzip2",
	".tar.xz":  "application/x-xz",
	".txz":     "application/x-xz",
	".xz":      "application/x-xz",
	".tar.zst": "application/zstd",
	".tzst":    "application/zstd",
	".zst":     "application/zstd",
	".tar":     "application/x-tar",
	".zip":     "application/zip",
	".7z":      "application/x-7z-compressed",

	// Packages and installers.
	".deb":      "application/vnd.debian.binary-package",
	".rpm":      "application/x-rpm",
	".apk":      "application/vnd.android.package-archive",
	".dmg":      "application/x-apple-diskimage",
	".pkg":      "application/x-xar", // macOS installer packages are xar archives
	".msi":      "application/x-msi",
	".exe":      "application/vnd.microsoft.portable-executable",
	".dll":      "application/vnd.microsoft.portable-executable",
	".appimage": "application/vnd.appimage",
	".snap":     "application/vnd.snap",
	".flatpak":  "application/vnd.flatpak",
	".jar":      "application/java-archive",
	".war":      "application/java-archive",
	".whl":      "application/zip",
	".nupkg":    "application/zip",
	".vsix":     "application/zip",
	".crx":      "application/x-chrome-extension",
	".iso":      "application/x-iso9660-image",
	".img":      "application/x-raw-disk-image",
	".wasm":     "application/wasm",

	// Text and documents.
	".json": "application/json",
	".yaml": "application/yaml",
	".yml":  "application/yaml",
	".toml": "application/toml",
	".xml":  "application/xml",
	".txt":  "text/plain",
	".md":   "text/markdown",
	".html": "text/html",
	".htm":  "text/html",
	".csv":  "text/csv",
	".pdf":  "application/pdf",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".svg":  "image/svg+xml",

	// Signatures, keys and certificates.
	".sig":     "application/pgp-signature",
	".asc":     "application/pgp-signature",
	".minisig": "text/plain", // minisign signatures are short text files
	".pem":     "application/x-pem-file",
	".crt":     "application/pkix-cert",
	".cer":     "application/pkix-cert",

	// Checksums.
	".sha1":      "text/plain",
	".sha256":    "text/plain",
	".sha512":    "text/plain",
	".md5":       "text/plain",
	".sha256sum": "text/plain",
	".sha512sum": "text/plain",

	// Software bills of materials and attestations.
	".spdx":          "text/spdx", // SPDX tag-value
	".spdx.json":     "application/spdx+json",
	".sbom.json":     "application/spdx+json",
	".cdx.json":      "application/vnd.cyclonedx+json",
	".bom.json":      "application/vnd.cyclonedx+json",
	".cdx.xml":       "application/vnd.cyclonedx+xml",
	".intoto.jsonl":  "application/vnd.in-toto+json",
	".sigstore":      "application/vnd.dev.sigstore.bundle.v0.3+json",
	".sigstore.json": "application/vnd.dev.sigstore.bundle.v0.3+json",
}
