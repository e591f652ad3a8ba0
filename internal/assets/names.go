package assets

import "strings"

// GitHubName predicts the name GitHub stores for an uploaded file called name.
//
// GitHub rewrites asset names and does not document the rule. From public reports:
// characters outside [A-Za-z0-9._+-] become ".", accented Latin letters lose their
// accent, runs of "." collapse to one, a trailing "." is dropped, and a leading "."
// gets "default" in front (".config" is stored as "default.config").
// https://docs.github.com/en/rest/releases/assets#upload-a-release-asset
func GitHubName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	lastDot := false
	for _, r := range name {
		s := asciiFold(r)
		if s == "" {
			s = "."
		}
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == '.' {
				if lastDot {
					continue
				}
				lastDot = true
			} else {
				lastDot = false
			}
			b.WriteByte(c)
		}
	}
	out := strings.TrimRight(b.String(), ".")
	if out == "" {
		return "default"
	}
	if out[0] == '.' {
		out = "default" + out
	}
	return out
}

// asciiFold returns the ASCII spelling GitHub keeps for r, or "" when r is replaced.
func asciiFold(r rune) string {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
		r == '.', r == '_', r == '+', r == '-':
		return string(r)
	}
	if s, ok := latinFold[r]; ok {
		return s
	}
	return ""
}

// latinFold maps the accented letters of Latin-1 Supplement and Latin Extended-A to
// the plain letters GitHub stores instead.
var latinFold = func() map[rune]string {
	m := map[rune]string{}
	add := func(plain string, accented string) {
		for _, r := range accented {
			m[r] = plain
		}
	}
	add("A", "ÀÁÂÃÄÅĀĂĄ")
	add("a", "àáâãäåāăą")
	add("C", "ÇĆĈĊČ")
	add("c", "çćĉċč")
	add("D", "ĎĐ")
	add("d", "ďđ")
	add("E", "ÈÉÊËĒĔĖĘĚ")
	add("e", "èéêëēĕėęě")
	add("G", "ĜĞĠĢ")
	add("g", "ĝğġģ")
	add("H", "ĤĦ")
	add("h", "ĥħ")
	add("I", "ÌÍÎÏĨĪĬĮİ")
	add("i", "ìíîïĩīĭįı")
	add("J", "Ĵ")
	add("j", "ĵ")
	add("K", "Ķ")
	add("k", "ķ")
	add("L", "ĹĻĽĿŁ")
	add("l", "ĺļľŀł")
	add("N", "ÑŃŅŇ")
	add("n", "ñńņň")
	add("O", "ÒÓÔÕÖØŌŎŐ")
	add("o", "òóôõöøōŏő")
	add("R", "ŔŖŘ")
	add("r", "ŕŗř")
	add("S", "ŚŜŞŠ")
	add("s", "śŝşš")
	add("T", "ŢŤŦ")
	add("t", "ţťŧ")
	add("U", "ÙÚÛÜŨŪŬŮŰŲ")
	add("u", "ùúûüũūŭůűų")
	add("W", "Ŵ")
	add("w", "ŵ")
	add("Y", "ÝŶŸ")
	add("y", "ýÿŷ")
	add("Z", "ŹŻŽ")
	add("z", "źżž")
	m['Æ'], m['æ'] = "AE", "ae"
	m['Œ'], m['œ'] = "OE", "oe"
	m['ß'] = "ss"
	m['Þ'], m['þ'] = "TH", "th"
	m['Ð'], m['ð'] = "D", "d"
	return m
}()
