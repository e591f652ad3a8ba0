package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestHashFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"short", []byte("hello\n")},
		{"exactly one buffer", bytes.Repeat([]byte{'a'}, hashBufferSize)},
		{"one buffer and a byte", bytes.Repeat([]byte{'b'}, hashBufferSize+1)},
		{"several buffers", bytes.Repeat([]byte("0123456789"), 3*hashBufferSize/10+7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(p, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(tt.data)
			gotHex, gotSize, err := HashFile(p)
			if err != nil {
				t.Fatalf("HashFile: %v", err)
			}
			if want := hex.EncodeToString(sum[:]); gotHex != want {
				t.Errorf("hex = %s, want %s", gotHex, want)
			}
			if gotSize != int64(len(tt.data)) {
				t.Errorf("size = %d, want %d", gotSize, len(tt.data))
			}
		})
	}
}

func TestHashFileKnownVector(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "abc")
	if err := os.WriteFile(p, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _, err := HashFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// FIPS 180-2 test vector for "abc".
	if want := "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("HashFile(abc) = %s, want %s", got, want)
	}
}

func TestHashFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		is   error
	}{
		{"missing", filepath.Join(dir, "missing"), fs.ErrNotExist},
		{"directory", dir, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := HashFile(tt.path)
			if err == nil {
				t.Fatal("HashFile succeeded, want an error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
		})
	}
}

func TestChecksumList(t *testing.T) {
	t.Parallel()
	h := func(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:]) }
	tests := []struct {
		name    string
		entries []Checksum
		want    string
	}{
		{"empty", nil, ""},
		{
			"sorted by name",
			[]Checksum{{"b.zip", h("b")}, {"a.tar.gz", h("a")}, {"C.deb", h("c")}},
			h("c") + "  C.deb\n" + h("a") + "  a.tar.gz\n" + h("b") + "  b.zip\n",
		},
		{
			"upper-case hex lowered",
			[]Checksum{{"a", strings.ToUpper(h("a"))}},
			h("a") + "  a\n",
		},
		{
			"same name ordered by hash",
			[]Checksum{{"x", "ff"}, {"x", "00"}},
			"00  x\nff  x\n",
		},
		{
			"awkward name escaped",
			[]Checksum{{"a\\b\nc", h("a")}},
			"\\" + h("a") + "  a\\\\b\\nc\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := slices.Clone(tt.entries)
			got := string(ChecksumList(tt.entries))
			if got != tt.want {
				t.Errorf("ChecksumList =\n%q\nwant\n%q", got, tt.want)
			}
			if !slices.Equal(in, tt.entries) {
				t.Errorf("ChecksumList reordered its argument: %v", tt.entries)
			}
		})
	}
}

// TestChecksumListRoundTrip writes real files, lists their hashes and checks them
// again the way "sha256sum --check" reads the list.
func TestChecksumListRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	contents := map[string]string{
		"app.tar.gz":        "tarball",
		"app_1.0_amd64.deb": "debian",
		"SHA256SUMS.sig":    "",
		"odd\\name":         "backslash",
		"two\nlines":        "newline",
	}
	var entries []Checksum
	for name, data := range contents {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		sum, _, err := HashFile(p)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, Checksum{Name: name, SHA256: sum})
	}
	list := ChecksumList(entries)
	reversed := slices.Clone(entries)
	slices.Reverse(reversed)
	if again := ChecksumList(reversed); !bytes.Equal(list, again) {
		t.Errorf("order of entries changed the list:\n%s\n%s", list, again)
	}

	parsed, err := parseSHA256Sums(list)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, list)
	}
	if len(parsed) != len(contents) {
		t.Fatalf("parsed %d entries, want %d", len(parsed), len(contents))
	}
	for _, e := range parsed {
		sum, _, err := HashFile(filepath.Join(dir, e.Name))
		if err != nil {
			t.Errorf("%q: %v", e.Name, err)
			continue
		}
		if sum != e.SHA256 {
			t.Errorf("%q: listed %s, file has %s", e.Name, e.SHA256, sum)
		}
	}
}

// parseSHA256Sums reads the text format of "sha256sum --check".
func parseSHA256Sums(data []byte) ([]Checksum, error) {
	var out []Checksum
	unescape := strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\r`, "\r")
	for i, line := range strings.SplitAfter(string(data), "\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\n") {
			return nil, fmt.Errorf("line %d: no final newline", i+1)
		}
		line = strings.TrimSuffix(line, "\n")
		escaped := strings.HasPrefix(line, `\`)
		line = strings.TrimPrefix(line, `\`)
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			return nil, fmt.Errorf("line %d: no two-space separator", i+1)
		}
		if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size || sum != strings.ToLower(sum) {
			return nil, fmt.Errorf("line %d: %q is not a lower-case sha256", i+1, sum)
		}
		if escaped {
			name = unescape.Replace(name)
		}
		out = append(out, Checksum{Name: name, SHA256: sum})
	}
	return out, nil
}
