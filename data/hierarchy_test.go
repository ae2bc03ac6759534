package data

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestImportHierarchy(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.ImportHierarchy(ctx, tdir+"deso2018_regso2020_link.csv"); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ level, code, name, parent, regso, kommun, lan string }{
		{LevelDeSO, "0114A0010", "", "0114R010", "0114R010", "0114", "01"},
		{LevelRegSO, "0114R010", "Upplands Väsby omland", "0114", "0114R010", "0114", "01"},
		{LevelKommun, "2080", "Falun", "20", "", "2080", "20"},
		{LevelLan, "25", "Norrbottens län", RiketCode, "", "", "25"},
		{LevelRiket, RiketCode, "Sverige", "", "", "", ""},
	}
	for _, tc := range tests {
		var name, parent, regso, kommun, lan string
		err := s.db.QueryRow(`SELECT name, coalesce(parent,''), coalesce(regso,''), coalesce(kommun,''), coalesce(lan,'')
			FROM segmap_areas WHERE level=? AND code=?`, tc.level, tc.code).Scan(&name, &parent, &regso, &kommun, &lan)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.level, tc.code, err)
		}
		if name != tc.name || parent != tc.parent || regso != tc.regso || kommun != tc.kommun || lan != tc.lan {
			t.Errorf("%s %s = %q %q %q %q %q", tc.level, tc.code, name, parent, regso, kommun, lan)
		}
	}
}

func TestImportHierarchyBadCodes(t *testing.T) {
	tests := []struct{ name, csv, field, want string }{
		{"kommun without zero", "deso,regso,regso_namn,kommun,kommunnamn\n0114A0010,0114R010,Omland,114,Upplands Väsby\n", "kommun", `"0114"`},
		{"missing column", "deso;regso;kommun\n0114A0010;0114R010;0114\n", "regso_namn", "deso, regso, regso_namn"},
		{"deso in other kommun", "deso,regso,regso_namn,kommun,kommunnamn\n0115A0010,0114R010,Omland,0114,Upplands Väsby\n", "kommun", "not in kommun"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			_, err := s.ImportHierarchy(context.Background(), writeFile(t, "link.csv", tc.csv))
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != tc.field || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want InputError on %s mentioning %s", err, tc.field, tc.want)
			}
			checkLanguages(t, err, nil, nil)
			var n int
			s.db.QueryRow(`SELECT count(*) FROM segmap_areas`).Scan(&n)
			if n != 0 {
				t.Errorf("%d areas written", n)
			}
		})
	}
}
