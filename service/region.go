package service

import (
	"context"
	"slices"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/locale"
	"github.com/segmap/segmap/spatial/inequality"
)

// MaxRegionKommuner bounds a kommun list (Sweden has 290 kommuner).
const MaxRegionKommuner = 290

// ParseKommunList reads a list of kommun codes as people write it:
// separated by commas, semicolons or white space ("1466,1445, 1442"),
// each a 4-digit code. Duplicates are dropped, the order is kept. An empty
// list, a code that is not 4 digits or more than MaxRegionKommuner codes
// is ErrBadRequest with a message naming the bad part.
func ParseKommunList(s string) ([]string, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '+'
	})
	if len(parts) == 0 {
		return nil, badRequest("kommun is required: one or more 4-digit kommun codes separated by commas, e.g. 0180 or 1466,1445,1442").
			Sv("kommun måste anges: en eller flera fyrsiffriga kommunkoder åtskilda av komma, t.ex. 0180 eller 1466,1445,1442")
	}
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if len(p) != 4 || strings.Trim(p, "0123456789") != "" {
			hint, hintSv := "", ""
			if len(p) == 3 && strings.Trim(p, "0123456789") == "" {
				hint = " (a lost leading zero? Stockholms län's kommuner start with 01, e.g. 0" + p + ")"
				hintSv = " (en tappad inledande nolla? Stockholms läns kommuner börjar med 01, t.ex. 0" + p + ")"
			}
			return nil, badRequest("kommun code %q is not a 4-digit kommun code%s", truncate(p, 40), hint).
				Sv("kommunkoden %q är inte en fyrsiffrig kommunkod%s", truncate(p, 40), hintSv)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
		if len(out) > MaxRegionKommuner {
			return nil, badRequest("at most %d kommuner can be analysed together", MaxRegionKommuner).
				Sv("högst %d kommuner kan analyseras tillsammans", MaxRegionKommuner)
		}
	}
	return out, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// InequalityRegion computes the ojämlikhetsindex over all DeSO of the
// kommuner taken together (one row per year); no kommuner: the whole
// country (code "SE"). The definition is Inequality's.
func (s *Service) InequalityRegion(ctx context.Context, kommuner []string) (*Inequality, error) {
	low, high, err := s.econIndicators(ctx)
	if err != nil {
		return nil, err
	}
	code, name, level := data.RiketCode, "Riket", data.LevelRiket
	if len(kommuner) > 0 {
		var names []string
		for _, k := range kommuner {
			a, err := s.store.Area(ctx, data.LevelKommun, k)
			if err != nil {
				return nil, err
			}
			names = append(names, a.Name)
		}
		code, name, level = strings.Join(kommuner, ","), locale.JoinNames(names, locale.SV), "region"
	}
	out := &Inequality{Level: level, Rows: []InequalityRow{},
		Definition: "100 × D(low, high): dissimilarity between persons with low (" + low.ID + ") and high (" + high.ID + ") economic standard across DeSO"}
	for _, y := range low.Years {
		if !slices.Contains(high.Years, y) {
			continue
		}
		lv, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelDeSO, Indicator: low.ID, Year: y, Kommuner: kommuner})
		if err != nil {
			return nil, err
		}
		hv, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelDeSO, Indicator: high.ID, Year: y, Kommuner: kommuner})
		if err != nil {
			return nil, err
		}
		hi := map[string]float64{}
		for _, v := range hv {
			hi[v.Code] = count(v, high.Scale)
		}
		var l, h []float64
		for _, v := range lv {
			a, ok := hi[v.Code]
			b := count(v, low.Scale)
			if !ok || !finite(a) || !finite(b) {
				continue
			}
			l, h = append(l, b), append(h, a)
		}
		if len(l) == 0 {
			continue
		}
		idx, err := inequality.Ojamlikhetsindex(l, h)
		if err != nil {
			idx = nan
		}
		out.Rows = append(out.Rows, InequalityRow{Code: code, Name: name, Year: y, Index: Num(idx), DeSO: len(l)})
	}
	slices.SortFunc(out.Rows, func(a, b InequalityRow) int { return a.Year - b.Year })
	return out, nil
}
