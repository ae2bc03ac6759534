// Command xlsxcheck prints the Data sheet of a segmap Excel export as JSON
// (one object per row, keyed by the header), read with excelize, so the
// browser tests can check a downloaded file's values against the API.
//
//	go run ./api/web/test/xlsxcheck export.xlsx
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "xlsxcheck:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: xlsxcheck FILE.xlsx")
	}
	f, err := excelize.OpenFile(os.Args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := f.GetRows("Data", excelize.Options{RawCellValue: true})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: sheet Data is empty", os.Args[1])
	}
	out := struct {
		Sheets []string            `json:"sheets"`
		Rows   []map[string]string `json:"rows"`
	}{Sheets: f.GetSheetList()}
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		out.Rows = append(out.Rows, m)
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
