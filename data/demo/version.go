package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strconv"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
)

// buildRevision changes whenever Build changes how it builds the store
// (e.g. which layers it dissolves), so cached demo stores are rebuilt.
const buildRevision = 3

// Version names the demo store this binary builds: it changes with the
// embedded files, with Build and with the store schema, so a cached demo
// store is never served by a binary that would build a different one.
func Version() string {
	h := sha256.New()
	h.Write([]byte(strconv.Itoa(buildRevision) + "/" + strconv.Itoa(data.SchemaVersion()) + "/"))
	for _, fsys := range []fs.FS{files, national.Files()} {
		fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, path)
			if err != nil {
				return err
			}
			h.Write([]byte(path))
			h.Write(b)
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
