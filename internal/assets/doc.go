// Package assets finds the local files to upload and predicts what GitHub will call them.
package assets
