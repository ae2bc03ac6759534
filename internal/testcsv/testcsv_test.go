package testcsv

import (
	"reflect"
	"testing"
)

func TestRowsAndColumns(t *testing.T) {
	const path = "testdata/x.csv" // a quoted comma in the first row
	if got, want := Records(t, path), [][]string{{"code", "value"}, {"0114", "1,5"}, {"0180", "2"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Records = %q, want %q", got, want)
	}
	if got, want := Rows(t, path), []map[string]string{{"code": "0114", "value": "1,5"}, {"code": "0180", "value": "2"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Rows = %q, want %q", got, want)
	}
	if got, want := Columns(t, path), map[string][]string{"code": {"0114", "0180"}, "value": {"1,5", "2"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Columns = %q, want %q", got, want)
	}
}
