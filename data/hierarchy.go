package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LanName is the name of a län code ("01" -> "Stockholms län"), "" when
// unknown. The 21 län codes and names are SCB's Kommun- och länsindelning
// (unchanged 1998-2025); the link table has no län names, so they live here.
func LanName(code string) string {
	switch code {
	case "01":
		return "Stockholms län"
	case "03":
		return "Uppsala län"
	case "04":
		return "Södermanlands län"
	case "05":
		return "Östergötlands län"
	case "06":
		return "Jönköpings län"
	case "07":
		return "Kronobergs län"
	case "08":
		return "Kalmar län"
	case "09":
		return "Gotlands län"
	case "10":
		return "Blekinge län"
	case "12":
		return "Skåne län"
	case "13":
		return "Hallands län"
	case "14":
		return "Västra Götalands län"
	case "17":
		return "Värmlands län"
	case "18":
		return "Örebro län"
	case "19":
		return "Västmanlands län"
	case "20":
		return "Dalarnas län"
	case "21":
		return "Gävleborgs län"
	case "22":
		return "Västernorrlands län"
	case "23":
		return "Jämtlands län"
	case "24":
		return "Västerbottens län"
	case "25":
		return "Norrbottens län"
	}
	return ""
}

// ImportHierarchy reads SCB's DeSO -> RegSO link table (columns deso, regso,
// regso_namn, kommun, kommunnamn; delimiter auto-detected) and upserts the
// hierarchy deso -> regso -> kommun -> lan -> riket into segmap_areas.
// Names already in the store are kept when the table has none (DeSO).
// The report's Matched counts DeSO already in the store; UnmatchedInStore
// lists DeSO in the store that the table does not have.
func (s *Store) ImportHierarchy(ctx context.Context, linkCSVPath string) (*JoinReport, error) {
	b, err := os.ReadFile(linkCSVPath)
	if err != nil {
		return nil, fmt.Errorf("data: import hierarchy: %w", err)
	}
	return s.importHierarchyBytes(ctx, filepath.Base(linkCSVPath), b)
}

type linkRow struct{ deso, regso, regsoName, kommun, kommunName string }

func parseLinkTable(name string, b []byte) ([]linkRow, error) {
	t, err := readCSV(name, b)
	if err != nil {
		return nil, err
	}
	want := []string{"deso", "regso", "regso_namn", "kommun", "kommunnamn"}
	idx := make([]int, len(want))
	for i, w := range want {
		if idx[i] = t.col(w); idx[i] < 0 {
			return nil, &InputError{File: name, Place: "row 1", Field: w, Problem: fmt.Sprintf(
				"the link table needs columns %s; it has %s", strings.Join(want, ", "), strings.Join(t.header, ", ")),
				ProblemSV: fmt.Sprintf("kopplingstabellen behöver kolumnerna %s; den har %s", strings.Join(want, ", "), strings.Join(t.header, ", "))}
		}
	}
	out := make([]linkRow, 0, len(t.rows))
	for i, r := range t.rows {
		lr := linkRow{strings.TrimSpace(r[idx[0]]), strings.TrimSpace(r[idx[1]]), strings.TrimSpace(r[idx[2]]),
			strings.TrimSpace(r[idx[3]]), strings.TrimSpace(r[idx[4]])}
		for _, c := range []struct {
			level string
			v     *string
			field string
		}{{LevelDeSO, &lr.deso, "deso"}, {LevelRegSO, &lr.regso, "regso"}, {LevelKommun, &lr.kommun, "kommun"}} {
			code, problem := checkCode(c.level, *c.v)
			if problem.en == "" && !looksLikeCode(c.level, code) {
				problem = problemText{fmt.Sprintf("%q is not a %s code", *c.v, c.level), fmt.Sprintf("%q är ingen %s-kod", *c.v, levelSV(c.level))}
			}
			if problem.en != "" {
				return nil, &InputError{File: name, Place: t.places[i], Field: c.field, Problem: problem.en, ProblemSV: problem.sv}
			}
			*c.v = code // cleaned: "0114.0" (a spreadsheet's number) is 0114
		}
		if lr.deso[:4] != lr.kommun || lr.regso[:4] != lr.kommun {
			return nil, &InputError{File: name, Place: t.places[i], Field: "kommun", Problem: fmt.Sprintf(
				"deso %s / regso %s are not in kommun %s", lr.deso, lr.regso, lr.kommun),
				ProblemSV: fmt.Sprintf("deso %s / regso %s ligger inte i kommun %s", lr.deso, lr.regso, lr.kommun)}
		}
		out = append(out, lr)
	}
	return out, nil
}

func (s *Store) importHierarchyBytes(ctx context.Context, name string, b []byte) (*JoinReport, error) {
	rows, err := parseLinkTable(name, b)
	if err != nil {
		return nil, err
	}
	rep := &JoinReport{File: name, Level: LevelDeSO, Rows: len(rows)}
	err = s.Update(ctx, func(tx *Tx) error {
		summary, err := tx.importHierarchy(ctx, rows, rep)
		if err != nil {
			return err
		}
		return tx.logImport(ctx, "hierarchy", name, summary)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// importHierarchy upserts parsed link rows inside a transaction and
// returns the summary for the import history (the caller logs it).
func (tx *Tx) importHierarchy(ctx context.Context, rows []linkRow, rep *JoinReport) (string, error) {
	known, err := tx.areaKommuner(ctx, LevelDeSO)
	if err != nil {
		return "", err
	}
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO segmap_areas (level, code, name, parent, regso, kommun, lan)
 VALUES (?,?,?,?,?,?,?)
 ON CONFLICT(level, code) DO UPDATE SET
  name = CASE WHEN excluded.name != '' THEN excluded.name ELSE segmap_areas.name END,
  parent = excluded.parent, regso = excluded.regso, kommun = excluded.kommun, lan = excluded.lan`)
	if err != nil {
		return "", fmt.Errorf("data: hierarchy: %w", err)
	}
	defer stmt.Close()
	put := func(level, code, name, parent, regso, kommun, lan string) error {
		null := func(s string) any {
			if s == "" {
				return nil
			}
			return s
		}
		if _, err := stmt.ExecContext(ctx, level, code, name, null(parent), null(regso), null(kommun), null(lan)); err != nil {
			return fmt.Errorf("data: hierarchy %s %s: %w", level, code, err)
		}
		return nil
	}
	inTable := map[string]bool{}
	doneRegso, doneKommun, doneLan := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		lan := r.kommun[:2]
		inTable[r.deso] = true
		if _, ok := known[r.deso]; ok {
			rep.Matched++
		}
		if err := put(LevelDeSO, r.deso, "", r.regso, r.regso, r.kommun, lan); err != nil {
			return "", err
		}
		if !doneRegso[r.regso] {
			doneRegso[r.regso] = true
			if err := put(LevelRegSO, r.regso, r.regsoName, r.kommun, r.regso, r.kommun, lan); err != nil {
				return "", err
			}
		}
		if !doneKommun[r.kommun] {
			doneKommun[r.kommun] = true
			if err := put(LevelKommun, r.kommun, r.kommunName, lan, "", r.kommun, lan); err != nil {
				return "", err
			}
		}
		if !doneLan[lan] {
			doneLan[lan] = true
			if err := put(LevelLan, lan, LanName(lan), RiketCode, "", "", lan); err != nil {
				return "", err
			}
		}
	}
	if err := put(LevelRiket, RiketCode, "Sverige", "", "", "", ""); err != nil {
		return "", err
	}
	for c := range known {
		if !inTable[c] {
			rep.UnmatchedInStore = append(rep.UnmatchedInStore, c)
		}
	}
	sort.Strings(rep.UnmatchedInStore)
	tx.MarkChanged()
	return fmt.Sprintf("%d DeSO, %d RegSO, %d kommuner, %d län", len(rows), len(doneRegso), len(doneKommun), len(doneLan)), nil
}

// logImport adds one row to the import history.
func (tx *Tx) logImport(ctx context.Context, kind, file, summary string) error {
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_imports(kind, file, summary) VALUES (?, ?, ?)`, kind, file, summary); err != nil {
		return fmt.Errorf("data: record import: %w", err)
	}
	return nil
}
