package assets

import (
	"slices"
	"strconv"
)

// FormatSize is a size for people, in binary units: "512 B", "4.0 KiB",
// "1.0 GiB". It is the one byte formatter of the log and the step summary.
func FormatSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	f := float64(n)
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	var u string
	for _, u = range units {
		f /= 1024
		if f < 1024 {
			break
		}
	}
	// 1023.96 KiB would print as "1024.0 KiB"; say "1.0 MiB" instead.
	if s := strconv.FormatFloat(f, 'f', 1, 64); s != "1024.0" || u == units[len(units)-1] {
		return s + " " + u
	}
	return "1.0 " + units[slices.Index(units, u)+1]
}
