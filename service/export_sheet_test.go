package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/download"
)

// TestExportSheetHostileNames: area names that are formulas are
// neutralised in the export CSV and plain text in its XLSX, while numbers
// (negative ones too) stay numbers — the one writer of every download.
func TestExportSheetHostileNames(t *testing.T) {
	t.Parallel()
	svc := New(testStore, nil, Options{})
	ex, err := svc.Export(context.Background(), ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "low_econ_standard_pct", Year: 2022}, Method: "quantile", K: 5}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hostile := []string{`=cmd|"/c calc"!A1`, "+1+2", "@SUM(1)"}
	for i, h := range hostile {
		ex.Rows[i].Name = h
	}
	ex.Rows[0].Value = -2.5
	sh := ex.Sheet("sv")
	b, err := download.WriteCSV(context.Background(), sh, download.CSV{}, download.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hostile {
		if got := recs[i+1][1]; got != "'"+h {
			t.Errorf("CSV name %q, want %q", got, "'"+h)
		}
	}
	if got := recs[1][8]; got != "-2,5" {
		t.Errorf("negative value written %q, want -2,5", got)
	}
	x, err := download.WriteXLSX(context.Background(), sh, download.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, h := range hostile {
		cell, _ := excelize.CoordinatesToCellName(2, i+2)
		v, _ := f.GetCellValue(download.SheetData, cell)
		formula, _ := f.GetCellFormula(download.SheetData, cell)
		if v != h || formula != "" {
			t.Errorf("XLSX %s = %q (formula %q), want the text %q", cell, v, formula, h)
		}
	}
	if v, _ := f.GetCellValue(download.SheetData, "I2"); !strings.HasPrefix(v, "-2.5") {
		t.Errorf("XLSX value %q", v)
	}
}
