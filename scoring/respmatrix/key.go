package respmatrix

import (
	"encoding/csv"
	"io"
	"os"
	"strings"
)

// ReadKey parses an answer key: a CSV with header "item,key" and one row per
// item giving its correct option code.
func ReadKey(r io.Reader, name string) (map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	t := &table{file: name, r: cr, lay: layout{names: []string{"item", "key"}}}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, parseErr(name, 0, "", ErrEmpty, "")
	}
	if err != nil {
		return nil, t.csvErr(err)
	}
	if len(head) != 2 || strings.TrimPrefix(strings.TrimSpace(head[0]), "\ufeff") != "item" || strings.TrimSpace(head[1]) != "key" {
		return nil, parseErr(name, 1, "", ErrHeader, "want item,key")
	}
	key := make(map[string]string)
	err = t.each(func(rec []string, line int) error {
		item, k := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if item == "" || isMissing(k) {
			return parseErr(name, line, "key", ErrKey, "empty item or key")
		}
		if _, dup := key[item]; dup {
			return parseErr(name, line, "item", ErrKey, "item %q keyed twice", item)
		}
		key[item] = k
		return nil
	})
	if err != nil {
		return nil, err
	}
	return key, nil
}

// ReadKeyFile opens path and reads it with ReadKey.
func ReadKeyFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadKey(f, path)
}
