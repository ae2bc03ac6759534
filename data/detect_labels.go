package data

import (
	"regexp"
	"strings"
)

func placeSheet(sheet string) string {
	if sheet == "" {
		return ""
	}
	return "sheet " + sheet
}

// columnRef names column j for a mapping: its header when that is unique
// and not empty, else its Excel letter.
func columnRef(t *table, j int, letter func(int) string) string {
	if h := t.header[j]; h != "" && t.col(h) == j {
		return h
	}
	return letter(j)
}

func cell(r []string, j int) string {
	if j < len(r) {
		return r[j]
	}
	return ""
}

func nonEmpty(r []string) int {
	n := 0
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func columnAll(t *table, j int, f func(string) bool) bool {
	if len(t.rows) == 0 {
		return false
	}
	for _, r := range t.rows {
		if !f(r[j]) {
			return false
		}
	}
	return true
}

func decimalsOf(s string) int {
	s = strings.TrimSpace(s)
	i := strings.LastIndexAny(s, ".,")
	if i < 0 {
		return 0
	}
	return len(s) - i - 1
}

func isTotalLabel(label string) bool {
	for _, p := range strings.Split(strings.ToLower(label), ",") {
		p = strings.TrimSpace(p)
		if yearOf(p) != 0 {
			continue
		}
		if p != "totalt" && p != "total" && p != "samtliga" && p != "summa" && p != "pop_total" {
			return false
		}
	}
	return true
}

var scbIDRe = regexp.MustCompile(`^([0-9A-Z]{8})_`)

func scbTableID(name string) string {
	if m := scbIDRe.FindStringSubmatch(name); m != nil {
		return m[1]
	}
	return ""
}

// higherIsBetter guesses from words in a column label.
func higherIsBetter(low string) *bool {
	worse := []string{"arbetslös", "unemploy", "låg ekonomisk", "low_econ", "ohälsotal", "trångbodd", "förgymnasial", "pre_upper", "bidrag", "biståndsmottag"}
	better := []string{"förvärvsarbet", "sysselsatt", "employment_rate", "employed", "inkomst", "income", "hög ekonomisk", "high_econ", "eftergymnasial", "post_sec", "behörig", "valdeltagande"}
	for _, w := range worse {
		if strings.Contains(low, w) {
			f := false
			return &f
		}
	}
	for _, w := range better {
		if strings.Contains(low, w) {
			t := true
			return &t
		}
	}
	return nil
}

// slugID makes an indicator id of a label: lower-case ASCII letters,
// digits and '_', starting with a letter, at most 60 characters.
func slugID(label, fallback string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(label) {
		switch r {
		case 'å', 'ä', 'á', 'à', 'â':
			r = 'a'
		case 'ö', 'ó', 'ò', 'ô', 'ø':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú':
			r = 'u'
		case '%':
			b.WriteString("pct")
			under = false
			continue
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	s := strings.Trim(b.String(), "_")
	if s == "" {
		s = "kolumn_" + strings.ToLower(fallback)
	}
	if s[0] < 'a' || s[0] > 'z' {
		s = "v_" + s
	}
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "_")
	}
	return s
}
