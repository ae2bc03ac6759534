// Package testcsv reads the CSV files of the test data, failing the test
// on any error. Only tests import it.
package testcsv

import (
	"encoding/csv"
	"os"
	"testing"
)

// Records returns every record of the CSV file at path, the header first.
func Records(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no header", path)
	}
	return recs
}

// Rows returns the records after the header, each keyed by the header.
func Rows(t testing.TB, path string) []map[string]string {
	t.Helper()
	recs := Records(t, path)
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

// Columns returns the values of each column after the header, keyed by
// the header.
func Columns(t testing.TB, path string) map[string][]string {
	t.Helper()
	recs := Records(t, path)
	cols := make(map[string][]string, len(recs[0]))
	for _, r := range recs[1:] {
		for i, h := range recs[0] {
			cols[h] = append(cols[h], r[i])
		}
	}
	return cols
}
