package notes

import "testing"

func TestCompose(t *testing.T) {
	t.Parallel()
	all := Parts{
		Body:       "Intro from body_path.\n",
		Changelog:  "### Fixed\n- a",
		TagMessage: "\n\nTag message.\n\n",
		Generated:  "## What's Changed\n* x by @y",
	}
	cases := []struct {
		name  string
		parts Parts
		want  string
	}{
		{"all parts in order", all, "Intro from body_path.\n\n### Fixed\n- a\n\nTag message.\n\n## What's Changed\n* x by @y"},
		{"empty parts are left out", Parts{Changelog: "c", Generated: "g"}, "c\n\ng"},
		{"blank parts are left out", Parts{Body: " \n\n", TagMessage: "t"}, "t"},
		{"crlf normalised", Parts{Body: "a\r\nb\r\n", Generated: "g"}, "a\nb\n\ng"},
		{"nothing", Parts{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Compose(tc.parts); got != tc.want {
				t.Errorf("Compose() = %q, want %q", got, tc.want)
			}
		})
	}
}
