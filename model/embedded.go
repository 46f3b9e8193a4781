package model

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// YAMLSet is a folder of embedded YAML files named by their base name (a
// built-in scenario, a built-in forecast): one reading of them for every
// kind of built-in.
type YAMLSet struct {
	FS   fs.ReadDirFS
	Dir  string // the folder inside FS
	Kind string // what one is called in messages ("scenario", "forecast")
}

// Names lists the set's entries, sorted.
func (s YAMLSet) Names() []string {
	entries, _ := s.FS.ReadDir(s.Dir)
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Read returns an entry's YAML; the error lists the entries.
func (s YAMLSet) Read(name string) ([]byte, error) {
	b, err := fs.ReadFile(s.FS, path.Join(s.Dir, name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("no built-in %s %q (built-in: %s)", s.Kind, name, strings.Join(s.Names(), ", "))
	}
	return b, nil
}
