package assets

import "testing"

func TestContentType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, want string
	}{
		{"tar.gz beats gz", "app-1.0.tar.gz", "application/gzip"},
		{"tgz", "app.tgz", "application/gzip"},
		{"gz", "notes.txt.gz", "application/gzip"},
		{"tar.bz2", "app.tar.bz2", "application/x-bzip2"},
		{"tbz2", "app.tbz2", "application/x-bzip2"},
		{"tar.xz", "app.tar.xz", "application/x-xz"},
		{"txz", "app.txz", "application/x-xz"},
		{"xz", "vmlinux.xz", "application/x-xz"},
		{"tar.zst", "app.tar.zst", "application/zstd"},
		{"zst", "db.zst", "application/zstd"},
		{"tar", "app.tar", "application/x-tar"},
		{"zip", "app_windows_amd64.zip", "application/zip"},
		{"7z", "app.7z", "application/x-7z-compressed"},
		{"deb", "app_1.0_amd64.deb", "application/vnd.debian.binary-package"},
		{"rpm", "app-1.0.x86_64.rpm", "application/x-rpm"},
		{"apk", "app.apk", "application/vnd.android.package-archive"},
		{"dmg", "App.dmg", "application/x-apple-diskimage"},
		{"pkg", "App.pkg", "application/x-xar"},
		{"msi", "setup.msi", "application/x-msi"},
		{"exe", "app.exe", "application/vnd.microsoft.portable-executable"},
		{"dll", "lib.dll", "application/vnd.microsoft.portable-executable"},
		{"appimage mixed case", "App-x86_64.AppImage", "application/vnd.appimage"},
		{"snap", "app_1.0_amd64.snap", "application/vnd.snap"},
		{"flatpak", "app.flatpak", "application/vnd.flatpak"},
		{"jar", "app.jar", "application/java-archive"},
		{"war", "app.war", "application/java-archive"},
		{"whl", "pkg-1.0-py3-none-any.whl", "application/zip"},
		{"nupkg", "Pkg.1.0.0.nupkg", "application/zip"},
		{"vsix", "ext.vsix", "application/zip"},
		{"crx", "ext.crx", "application/x-chrome-extension"},
		{"iso", "live.iso", "application/x-iso9660-image"},
		{"img", "sdcard.img", "application/x-raw-disk-image"},
		{"wasm", "mod.wasm", "application/wasm"},
		{"json", "manifest.json", "application/json"},
		{"yaml", "values.yaml", "application/yaml"},
		{"yml", "values.yml", "application/yaml"},
		{"toml", "config.toml", "application/toml"},
		{"xml", "feed.xml", "application/xml"},
		{"txt", "checksums.txt", "text/plain"},
		{"md", "CHANGELOG.md", "text/markdown"},
		{"html", "index.html", "text/html"},
		{"csv", "data.csv", "text/csv"},
		{"sig", "app.tar.gz.sig", "application/pgp-signature"},
		{"asc", "app.tar.gz.asc", "application/pgp-signature"},
		{"minisig", "app.tar.gz.minisig", "text/plain"},
		{"pem", "app.pem", "application/x-pem-file"},
		{"crt", "ca.crt", "application/pkix-cert"},
		{"cer", "ca.cer", "application/pkix-cert"},
		{"sbom.json beats json", "app.sbom.json", "application/spdx+json"},
		{"spdx.json", "app.spdx.json", "application/spdx+json"},
		{"spdx tag-value", "app.spdx", "text/spdx"},
		{"cdx.json", "app.cdx.json", "application/vnd.cyclonedx+json"},
		{"bom.json", "app.bom.json", "application/vnd.cyclonedx+json"},
		{"intoto.jsonl", "multiple.intoto.jsonl", "application/vnd.in-toto+json"},
		{"plain jsonl unknown", "events.jsonl", "application/octet-stream"},
		{"sigstore", "app.sigstore", "application/vnd.dev.sigstore.bundle.v0.3+json"},
		{"sigstore.json", "app.sigstore.json", "application/vnd.dev.sigstore.bundle.v0.3+json"},
		{"sha256", "app.tar.gz.sha256", "text/plain"},
		{"sha512", "app.tar.gz.sha512", "text/plain"},
		{"SHA256SUMS", "SHA256SUMS", "text/plain"},
		{"prefixed SHA256SUMS", "terraform_1.9.0_SHA256SUMS", "text/plain"},
		{"signed SHA256SUMS", "SHA256SUMS.sig", "application/pgp-signature"},
		{"pdf", "manual.pdf", "application/pdf"},
		{"png", "logo.PNG", "image/png"},
		{"jpg", "shot.jpg", "image/jpeg"},
		{"svg", "logo.svg", "image/svg+xml"},
		{"upper case", "APP.TAR.GZ", "application/gzip"},
		{"version dots ignored", "app-v1.2.3", "application/octet-stream"},
		{"no extension", "app-linux-amd64", "application/octet-stream"},
		{"unknown extension", "app.bin", "application/octet-stream"},
		{"dot file of known type", ".json", "application/json"},
		{"extension without dot", "json", "application/octet-stream"},
		{"empty", "", "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ContentType(tt.file); got != tt.want {
				t.Errorf("ContentType(%q) = %q, want %q", tt.file, got, tt.want)
			}
		})
	}
}
