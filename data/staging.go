package data

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// StagingDir is a temporary folder, owned by one process, that holds
// uploaded files between their upload and their import (the data page).
// It is made on first use and removed by Close. Safe for concurrent use.
type StagingDir struct {
	parent string
	mu     sync.Mutex
	dir    string
}

// NewStagingDir returns a staging folder to be made under parent
// ("" = the system's temporary folder).
func NewStagingDir(parent string) *StagingDir { return &StagingDir{parent: parent} }

func (s *StagingDir) root() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir != "" {
		return s.dir, nil
	}
	d, err := os.MkdirTemp(s.parent, "segmap-staging-")
	if err != nil {
		return "", fmt.Errorf("data: staging folder: %w", err)
	}
	s.dir = d
	return d, nil
}

// Put writes body as file name in a new subfolder id (a name the caller
// made, e.g. random hex) and returns its path. name must be a plain file
// name (no separators).
func (s *StagingDir) Put(id, name string, body []byte) (string, error) {
	if id == "" || name == "" || filepath.Base(id) != id || filepath.Base(name) != name || name == ".." || id == ".." {
		return "", fmt.Errorf("%w: staged file %q/%q", ErrInvalid, id, name)
	}
	root, err := s.root()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, id)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", fmt.Errorf("data: stage %s: %w", name, err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, body, 0o600); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("data: stage %s: %w", name, err)
	}
	return p, nil
}

// Read returns the content of a staged file (a path Put returned).
func (s *StagingDir) Read(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("data: staged file: %w", err)
	}
	return b, nil
}

// Remove deletes the subfolder of a staged file (a path Put returned).
func (s *StagingDir) Remove(path string) {
	s.mu.Lock()
	root := s.dir
	s.mu.Unlock()
	dir := filepath.Dir(path)
	if root != "" && filepath.Dir(dir) == root {
		os.RemoveAll(dir)
	}
}

// Close removes the folder and everything staged in it.
func (s *StagingDir) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		return nil
	}
	err := os.RemoveAll(s.dir)
	s.dir = ""
	return err
}
