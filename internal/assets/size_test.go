package assets

import "testing"

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{
		0:                 "0 B",
		1023:              "1023 B",
		1024:              "1.0 KiB",
		4096:              "4.0 KiB",
		1536:              "1.5 KiB",
		1048575:           "1.0 MiB",
		1 << 20:           "1.0 MiB",
		1 << 30:           "1.0 GiB",
		5 << 40:           "5.0 TiB",
		1<<63 - 1:         "8.0 EiB",
		1<<30 + 1<<29:     "1.5 GiB",
		1<<30 - 1<<10:     "1.0 GiB",
		100*1024*1024 + 1: "100.0 MiB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
