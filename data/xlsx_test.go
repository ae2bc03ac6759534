package data

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func writeXLSX(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2) // a blank first row, as people leave
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "plain.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportPlainXLSX(t *testing.T) {
	ctx := context.Background()
	s := storeWithCodes(t)
	p := writeXLSX(t, [][]any{
		{"deso", "low_econ_standard_pct", "econ_standard_n_persons"},
		{"0114A0010", 7.5, 1000},
		{"0114C1010", "..", 1542},
	})
	if _, err := s.ImportIndicators(ctx, p, IndicatorImportOptions{Mapping: parseMappingT(t, smallMapping)}); err != nil {
		t.Fatal(err)
	}
	if v := one(t, s, LevelDeSO, "0114A0010", "low_econ_standard_pct", 2022, ""); v.Value != 7.5 || v.Numerator != 75 {
		t.Errorf("xlsx value %+v", v)
	}
	// A code typed as a number loses its leading zero in Excel.
	p = writeXLSX(t, [][]any{{"kommun", "population"}, {180, 984748}})
	m := parseMappingT(t, "level: kommun\nyear: 2022\nindicators: [{id: population, name_sv: Folkmängd, aggregation: sum, value: population}]\n")
	_, err := s.ImportIndicators(ctx, p, IndicatorImportOptions{Mapping: m})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Place != "sheet Sheet1 row 3" || ie.Field != "kommun" || !strings.Contains(ie.Problem, `"0180"`) {
		t.Errorf("err = %v", err)
	}
}
