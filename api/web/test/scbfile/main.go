// Command scbfile reads and alters an SCB Statistikdatabasen xlsx for the
// data page's browser test (test/datapage.test.mjs), with excelize, so the
// test's expected values come from the file itself:
//
//	go run ./api/web/test/scbfile rows FILE.xlsx
//	    the first sheet's cells as JSON {"sheet": name, "rows": [[cell, …], …]}
//	go run ./api/web/test/scbfile strip-zero IN.xlsx OUT.xlsx
//	    a copy whose codes in column A lose their leading zero, as when the
//	    file has been through Excel ("0114A0010" → "114A0010"); prints how many
//	go run ./api/web/test/scbfile break IN.xlsx OUT.xlsx
//	    a copy cut in the middle of its bytes (not a readable xlsx)
//	go run ./api/web/test/scbfile features FILE.gpkg FIELD
//	    a boundary file's features as JSON {"count": n, "codes": [FIELD of
//	    each], "bbox": [w, s, e, n] in WGS 84}, read with segmap's site-file
//	    reader (another code path than the boundary import under test)
//	go run ./api/web/test/scbfile empty-store STORE.gpkg
//	    a new store without areas or indicators (what `segmap serve` serves
//	    before anything is imported)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/segmap/segmap/data"
	"github.com/xuri/excelize/v2"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "scbfile:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 2 && args[0] == "rows":
		return rows(args[1])
	case len(args) == 3 && args[0] == "strip-zero":
		return stripZero(args[1], args[2])
	case len(args) == 3 && args[0] == "break":
		b, err := os.ReadFile(args[1])
		if err != nil {
			return err
		}
		return os.WriteFile(args[2], b[:len(b)/2], 0o644)
	case len(args) == 2 && args[0] == "empty-store":
		st, err := data.Open(context.Background(), args[1], data.OpenOptions{Create: true})
		if err != nil {
			return err
		}
		return st.Close()
	case len(args) == 3 && args[0] == "features":
		return features(args[1], args[2])
	}
	return fmt.Errorf("usage: scbfile rows FILE.xlsx | strip-zero IN.xlsx OUT.xlsx | break IN.xlsx OUT.xlsx | features FILE FIELD | empty-store STORE")
}

// firstSheet opens path and reads its first sheet's raw cell values; the
// caller closes f.
func firstSheet(path string) (f *excelize.File, sheet string, rs [][]string, err error) {
	f, err = excelize.OpenFile(path)
	if err != nil {
		return nil, "", nil, err
	}
	sheet = f.GetSheetName(0)
	rs, err = f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		f.Close()
		return nil, "", nil, err
	}
	return f, sheet, rs, nil
}

func rows(path string) error {
	f, sheet, rs, err := firstSheet(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewEncoder(os.Stdout).Encode(struct {
		Sheet string     `json:"sheet"`
		Rows  [][]string `json:"rows"`
	}{sheet, rs})
}

// code is a DeSO/RegSO code with a leading zero (kommun 01xx–09xx).
var code = regexp.MustCompile(`^0\d{3}[A-Z]\d{4}$`)

func stripZero(in, out string) error {
	f, sheet, rs, err := firstSheet(in)
	if err != nil {
		return err
	}
	defer f.Close()
	n := 0
	for i, r := range rs {
		if len(r) == 0 || !code.MatchString(r[0]) {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, cell, r[0][1:]); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("%s: no code with a leading zero in column A", in)
	}
	if err := f.SaveAs(out); err != nil {
		return err
	}
	fmt.Println(n)
	return nil
}

func features(path, field string) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sites, _, err := data.ValidateSites(context.Background(), filepath.Base(path), body, data.SiteOptions{MaxFeatures: 1 << 20})
	if err != nil {
		return err
	}
	out := struct {
		Count int        `json:"count"`
		Codes []string   `json:"codes"`
		BBox  [4]float64 `json:"bbox"`
	}{Count: len(sites)}
	for i, s := range sites {
		out.Codes = append(out.Codes, fmt.Sprint(s.Props[field]))
		b := s.Geometry.Bound()
		if i == 0 {
			out.BBox = [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
			continue
		}
		out.BBox = [4]float64{min(out.BBox[0], b.Min[0]), min(out.BBox[1], b.Min[1]), max(out.BBox[2], b.Max[0]), max(out.BBox[3], b.Max[1])}
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
