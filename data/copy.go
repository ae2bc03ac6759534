package data

import (
	"context"
	"fmt"
)

// CopyTo writes a consistent copy of the store to path (VACUUM INTO), also
// while other connections read or write it. path must not exist.
func (s *Store) CopyTo(ctx context.Context, path string) error {
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("data: copy %s to %s: %w", s.path, path, err)
	}
	return nil
}
