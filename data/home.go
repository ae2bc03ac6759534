package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// SetHome records the store's home selection: the kommun codes the store was
// made for (segmap init). The map opens on them and tables default to them.
func (s *Store) SetHome(ctx context.Context, kommuner []string) error {
	for _, k := range kommuner {
		if !looksLikeCode(LevelKommun, k) {
			return fmt.Errorf("%w: home: %q is not a kommun code (four digits, e.g. 2080)", ErrInvalid, k)
		}
	}
	return s.Update(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_meta(key, value) VALUES ('home', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, strings.Join(kommuner, ","))
		if err != nil {
			return fmt.Errorf("data: set home: %w", err)
		}
		tx.MarkChanged()
		return nil
	})
}

// Home is the store's home selection (nil when none was recorded).
func (s *Store) Home(ctx context.Context) ([]string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM segmap_meta WHERE key='home'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && v == "") {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("data: home: %w", err)
	}
	return strings.Split(v, ","), nil
}
