package sites

import (
	"context"
	"errors"
	"math"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
)

// Development-site overlay: the tenure mix of the areas a site touches,
// before and after its planned dwellings.

// TenureMix is the dwelling split of the areas a site touches, before and
// after its planned dwellings.
type TenureMix struct {
	Level  string         `json:"level"` // deso | regso
	Codes  []string       `json:"codes"`
	Year   int            `json:"year"`
	Before TenureCounts   `json:"before"`
	After  *TenureCounts  `json:"after"` // nil when the site has no dwellings or tenure
	Change map[string]Num `json:"change_pp,omitempty"`
	Note   string         `json:"note,omitempty"`
}

// TenureCounts are dwellings by tenure and their shares of all dwellings.
type TenureCounts struct {
	Rental        Num `json:"rental"`
	TenantOwned   Num `json:"tenant_owned"`
	OwnerOccupied Num `json:"owner_occupied"`
	Unknown       Num `json:"unknown"`
	Total         Num `json:"total"`
	RentalShare   Num `json:"rental_share"`
	TenantShare   Num `json:"tenant_owned_share"`
	OwnerShare    Num `json:"owner_occupied_share"`
}

// Tenure indicators of the demo (SCB 000006OC): ratio indicators whose
// numerator is the number of dwellings and denominator all dwellings.
var tenureIndicators = [3]string{"dwellings_rental_pct", "dwellings_tenant_owned_pct", "dwellings_owner_occupied_pct"}

// TenureLabel is the Swedish or English name of a tenure id.
func TenureLabel(t, lang string) string {
	sv, en := map[string]string{data.TenureRental: "hyresrätt", data.TenureTenantOwned: "bostadsrätt", data.TenureOwnerOccupied: "äganderätt"},
		map[string]string{data.TenureRental: "rental", data.TenureTenantOwned: "tenant-owned", data.TenureOwnerOccupied: "owner-occupied"}
	if t == "" {
		if lang == "en" {
			return "unknown"
		}
		return "okänd"
	}
	if lang == "en" {
		return en[t]
	}
	return sv[t]
}

// loadTenure reads the dwellings by tenure (numerators of the tenure share
// indicators; denominator = all dwellings) of DeSO and RegSO, latest year
// common to the three indicators. A store without them leaves c.tenure empty.
func (s *Service) loadTenure(ctx context.Context, c *overlayCache) error {
	c.tenure = map[string]map[string][4]float64{}
	year := 0
	for i, id := range tenureIndicators {
		ind, err := s.store.Indicator(ctx, id)
		if errors.Is(err, data.ErrNotFound) || err == nil && len(ind.Years) == 0 {
			return nil
		}
		if err != nil {
			return err
		}
		y := service.LatestYearAt(ind, data.LevelDeSO)
		if i == 0 || y < year {
			year = y
		}
	}
	for _, level := range []string{data.LevelDeSO, data.LevelRegSO} {
		m := map[string][4]float64{}
		for i, id := range tenureIndicators {
			vs, err := s.store.Values(ctx, data.ValuesQuery{Level: level, Indicator: id, Year: year})
			if err != nil {
				return err
			}
			for _, v := range vs {
				if !finite(v.Numerator) || !finite(v.Denominator) {
					continue
				}
				row, ok := m[v.Code]
				if !ok {
					row = [4]float64{nan, nan, nan, nan}
				}
				row[i], row[3] = v.Numerator, v.Denominator
				m[v.Code] = row
			}
		}
		c.tenure[level] = m
	}
	c.tenureY = year
	return nil
}

// tenureMix sums the dwellings by tenure of whole areas and adds the site's.
func (s *Service) tenureMix(c *overlayCache, level string, codes []string, st data.Site, lang string) TenureMix {
	tm := TenureMix{Level: level, Codes: codes, Year: c.tenureY}
	var counts [3]float64
	var total float64
	missing := c.tenure[level] == nil
	for _, code := range codes {
		row, ok := c.tenure[level][code]
		if !ok || math.IsNaN(row[0]) || math.IsNaN(row[1]) || math.IsNaN(row[2]) {
			missing = true
			break
		}
		for i := range counts {
			counts[i] += row[i]
		}
		total += row[3]
	}
	if missing {
		tm.Before = TenureCounts{Rental: Num(nan), TenantOwned: Num(nan), OwnerOccupied: Num(nan), Unknown: Num(nan), Total: Num(nan), RentalShare: Num(nan), TenantShare: Num(nan), OwnerShare: Num(nan)}
		if lang == "en" {
			tm.Note = "the store has no dwelling counts by tenure (SCB 000006OC) for these areas; the mix cannot be computed"
		} else {
			tm.Note = "databasen saknar antal lägenheter efter upplåtelseform (SCB 000006OC) för dessa områden; fördelningen kan inte beräknas"
		}
		return tm
	}
	tm.Before = tenureCounts(counts, total)
	if st.Dwellings == nil || st.Tenure == "" {
		if lang == "en" {
			tm.Note = "the site has no planned number of dwellings or no tenure, so the mix after cannot be computed"
		} else {
			tm.Note = "platsen saknar antal planerade bostäder eller upplåtelseform, så fördelningen efter kan inte beräknas"
		}
		return tm
	}
	after := counts
	switch st.Tenure {
	case data.TenureRental:
		after[0] += float64(*st.Dwellings)
	case data.TenureTenantOwned:
		after[1] += float64(*st.Dwellings)
	case data.TenureOwnerOccupied:
		after[2] += float64(*st.Dwellings)
	}
	a := tenureCounts(after, total+float64(*st.Dwellings))
	tm.After = &a
	tm.Change = map[string]Num{
		data.TenureRental:        Num(100 * (float64(a.RentalShare) - float64(tm.Before.RentalShare))),
		data.TenureTenantOwned:   Num(100 * (float64(a.TenantShare) - float64(tm.Before.TenantShare))),
		data.TenureOwnerOccupied: Num(100 * (float64(a.OwnerShare) - float64(tm.Before.OwnerShare))),
	}
	return tm
}

func tenureCounts(c [3]float64, total float64) TenureCounts {
	share := func(v float64) Num {
		if total <= 0 {
			return Num(nan)
		}
		return Num(v / total)
	}
	return TenureCounts{Rental: Num(c[0]), TenantOwned: Num(c[1]), OwnerOccupied: Num(c[2]), Unknown: Num(total - c[0] - c[1] - c[2]), Total: Num(total),
		RentalShare: share(c[0]), TenantShare: share(c[1]), OwnerShare: share(c[2])}
}
