package report

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/render"
	"github.com/segmap/segmap/service"
)

// Nulägesbild: the change part (one indicator between two years).

// Change is the change of one indicator between two years.
type Change struct {
	Change    *service.Change      `json:"change"`
	Increases []service.ChangeArea `json:"increases"` // largest first (at most 5)
	Decreases []service.ChangeArea `json:"decreases"` // largest decrease first
	RegSOName map[string]string    `json:"-"`
	// NoteOf is the text of the notes on an area (DeSO code) in the change's years.
	NoteOf map[string]string   `json:"-"`
	Legend []render.LegendItem `json:"-"`
	Map    template.HTML       `json:"-"`
}

func (b *builder) change(ctx context.Context) error {
	var candidates []string
	if b.q.ChangeIndicator != "" {
		candidates = []string{b.q.ChangeIndicator}
	} else {
		candidates = append(candidates, b.q.Indicator)
		inds, err := b.store.Indicators(ctx)
		if err != nil {
			return err
		}
		for _, ind := range inds {
			if ind.ID != b.opts.OmradestypIndicator && len(service.LevelYears(ind, data.LevelDeSO)) > 1 && ind.ID != b.q.Indicator {
				candidates = append(candidates, ind.ID)
			}
		}
	}
	explicit := b.q.ChangeIndicator != ""
	var ch *service.Change
	for _, id := range candidates {
		ind, err := b.svc.Indicator(ctx, id)
		if err != nil {
			return err
		}
		// The change map is of DeSO: the years are those DeSO have values for.
		years := service.LevelYears(ind, data.LevelDeSO)
		switch {
		case noTotal(ind):
			if explicit {
				err := fault.New(fault.NotFound, "change indicator %q has no breakdown %q; breakdowns: %v", id, data.BreakdownTotal, ind.Breakdowns)
				return skipBecause(err, "skip_no_total", b.indName(ind), strings.Join(ind.Breakdowns, ", "))
			}
			continue
		case len(years) < 2:
			if explicit {
				err := fault.New(fault.Invalid, "change indicator %q has values at %s only for the year(s) %v", id, data.LevelDeSO, years)
				return skipBecause(err, "skip_one_year", b.indName(ind), yearList(years, b.en))
			}
			continue
		}
		c, err := b.svc.Change(ctx, service.ChangeQuery{Level: data.LevelDeSO, Indicator: id, From: b.q.ChangeFrom, To: b.q.ChangeTo, Kommuner: b.q.Kommuner})
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			if explicit || b.q.ChangeFrom != 0 || b.q.ChangeTo != 0 {
				if errors.Is(err, fault.Invalid) || errors.Is(err, fault.NotFound) {
					return skipBecause(err, "skip_change_years", b.q.ChangeFrom, b.q.ChangeTo, b.indName(ind), yearList(years, b.en))
				}
				return err
			}
			continue // automatic choice: try the next indicator
		}
		if c.Summary.N >= 3 || explicit {
			ch = c
			break
		}
	}
	if ch == nil {
		return skipBecause(fault.New(fault.NotFound, "no indicator has values for two years in the region"), "skip_no_two_years")
	}
	rc := &Change{Change: ch, RegSOName: map[string]string{}, NoteOf: map[string]string{}}
	for _, n := range b.notesOf(data.LevelDeSO) {
		if n.Year >= ch.From && n.Year <= ch.To {
			txt := fmt.Sprintf("%d: %s", n.Year, n.Text)
			if prev := rc.NoteOf[n.Code]; prev != "" {
				txt = prev + "; " + txt
			}
			rc.NoteOf[n.Code] = txt
		}
	}
	regOf := map[string]string{}
	for _, d := range b.deso {
		regOf[d.Code] = d.RegSO
		rc.RegSOName[d.Code] = b.regso[d.RegSO].Name
	}
	sorted := service.SortedChanges(ch)
	n := min(5, len(sorted)/2)
	for _, a := range sorted[:n] {
		if a.Change > 0 {
			a.Name = rc.RegSOName[a.Code]
			rc.Increases = append(rc.Increases, a)
		}
	}
	for i := len(sorted) - 1; i >= len(sorted)-n; i-- {
		if a := sorted[i]; a.Change < 0 {
			a.Name = rc.RegSOName[a.Code]
			rc.Decreases = append(rc.Decreases, a)
		}
	}
	cc := ch.Classes // coloured by meaning (service.ChangeClasses)
	counts := make([]int, len(cc.Colors))
	fill := map[string]string{}
	noData := 0
	for _, a := range ch.Areas {
		k := cc.Class(float64(a.Change))
		if k < 0 {
			noData++
			continue
		}
		counts[k]++
		fill[a.Code] = cc.Colors[k]
	}
	dec := ch.Indicator.Decimals
	for i, c := range cc.Colors {
		label := b.signed(cc.Breaks[i], dec) + " – " + b.signed(cc.Breaks[i+1], dec)
		switch i {
		case 0:
			label = "< " + b.signed(cc.Breaks[1], dec)
		case len(cc.Colors) - 1:
			label = "> " + b.signed(cc.Breaks[i], dec)
		}
		rc.Legend = append(rc.Legend, render.LegendItem{Label: label + b.sideSuffix(cc, i), Color: c, Count: counts[i]})
	}
	if noData > 0 {
		rc.Legend = append(rc.Legend, render.LegendItem{Label: b.t("noData"), Color: service.NoDataColor, Count: noData})
	}
	unit := ch.Unit
	if ch.Kind == service.ChangePercentagePoints && b.en {
		unit = "percentage points"
	}
	var err error
	rc.Map, err = b.mapSVG(ctx, data.LevelDeSO, fill, fmt.Sprintf("%s %d–%d", b.indName(ch.Indicator), ch.From, ch.To),
		fmt.Sprintf("DeSO · %s · %s", b.r.Name, b.t("changeIn")+" "+unit), unit, rc.Legend, ch.To)
	b.r.Change = rc
	return err
}
