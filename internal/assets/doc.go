// Package assets finds the local files to upload, predicts what GitHub will call them,
// picks the content type they are sent with, and hashes them for checksum lists.
package assets
