package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Load reads and validates the config file, then applies the environment
// overrides. Errors name the file, the line, the table and the key, and never
// contain a secret's value. A missing file gives an error for which
// IsNotExist is true.
func Load(path string) (*Config, error) {
	data, warnings, err := readPrivate(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("config %s does not exist (run `headshot setup`): %w", path, os.ErrNotExist)
		}
		var pe *PermError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if err := c.applyEnv(os.LookupEnv); err != nil {
		return nil, err
	}
	if err := c.checkPlainHTTP(path); err != nil {
		return nil, err
	}
	c.warnings = append(warnings, unknownEnv(os.Environ())...)
	return c, nil
}

// Parse decodes and validates a config file's contents (no environment);
// name is used in error messages.
func Parse(name string, data []byte) (*Config, error) {
	file := newFile()
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(file.Addr().Interface()); err != nil {
		return nil, decodeError(name, data, err)
	}
	c := &Config{Journal: file.Field(0).String(), AllowHTTP: file.Field(1).Bool()}
	var errs []string
	for i, table := range Tables() {
		raw := file.Field(i + fileTables)
		if raw.IsNil() {
			continue
		}
		c.enableTable(table)
		for j, f := range Fields(table) {
			rf := raw.Elem().Field(j)
			v, line := fieldText(rf), lineOf(data, table, f.Key)
			if f.Kind == KindInt && rf.Int() != 0 {
				if err := f.checkInt(rf.Int()); err != nil {
					errs = append(errs, at(name, line, table, f.Key, err.Error()))
				} else {
					c.Set(table, f.Key, v)
				}
				continue
			}
			if err := f.Check(v); err != nil {
				errs = append(errs, at(name, line, table, f.Key, err.Error()))
			} else if v == "" && line > 0 && f.Kind != KindSecret {
				errs = append(errs, at(name, line, table, f.Key, "is empty (remove the line to use the default)"))
			} else {
				// Check judged the trimmed value and Set keeps that one, so
				// a pasted " https://..." or "secret " works as it looks.
				c.Set(table, f.Key, v)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return c, nil
}

// fileTables is the index of the first table in newFile's struct.
const fileTables = 2

// newFile is an empty value of the file's shape: journal, allow_http, then one table
// per entry of Tables, each mirroring its settings struct with the types a
// file holds (text for rates and durations). go-toml decodes into it, so
// unknown keys and type errors are reported with their line; the values
// are then checked and stored by Set.
func newFile() reflect.Value {
	fields := []reflect.StructField{{Name: "Journal", Type: reflect.TypeOf(""), Tag: `toml:"journal,omitempty"`},
		{Name: "AllowHTTP", Type: reflect.TypeOf(false), Tag: `toml:"allow_http,omitempty"`}}
	for i, table := range Tables() {
		var cols []reflect.StructField
		td, _ := findTable(table)
		for _, f := range Fields(table) {
			sf := td.defaults.Type().FieldByIndex(f.index)
			typ := sf.Type
			if typ == rateType || typ == durationType {
				typ = reflect.TypeOf("")
			}
			cols = append(cols, reflect.StructField{Name: sf.Name, Type: typ, Tag: reflect.StructTag(`toml:"` + f.Key + `,omitempty"`)})
		}
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("T%d", i), Type: reflect.PointerTo(reflect.StructOf(cols)),
			Tag: reflect.StructTag(`toml:"` + table + `,omitempty"`)})
	}
	return reflect.New(reflect.StructOf(fields)).Elem()
}

// at formats one problem: "path:12: [zoom] rate: why".
func at(name string, line int, table, key, why string) string {
	loc := name
	if line > 0 {
		loc += ":" + strconv.Itoa(line)
	}
	if table == "" {
		return fmt.Sprintf("%s: %s: %s", loc, key, why)
	}
	return fmt.Sprintf("%s: [%s] %s: %s", loc, table, key, why)
}

// decodeError rewrites go-toml's errors into "path:line: [table] key: why"
// without quoting the document (which could hold a secret).
func decodeError(name string, data []byte, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var msgs []string
		for i := range strict.Errors {
			de := &strict.Errors[i]
			row, _ := de.Position()
			key := []string(de.Key())
			switch {
			case len(key) == 1 && isHeader(data, row):
				msgs = append(msgs, at(name, row, "", "["+key[0]+"]",
					"unknown table (known: "+strings.Join(Tables(), ", ")+")"))
			case len(key) == 1:
				msgs = append(msgs, at(name, row, "", key[0], "unknown key (the top-level keys are journal and allow_http)"))
			default:
				table, k := key[0], strings.Join(key[1:], ".")
				msgs = append(msgs, at(name, row, table, k, "unknown key (known: "+strings.Join(keysOf(table), ", ")+")"))
			}
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		table, key := locate(data, row)
		why := strings.TrimPrefix(de.Error(), "toml: ")
		why = typeWords(why)
		if key != "" {
			return errors.New(at(name, row, table, key, why))
		}
		return fmt.Errorf("%s:%d: not valid TOML: %s", name, row, why)
	}
	return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "toml: "))
}

// quotedChar matches go-toml's quoting of a document character.
var quotedChar = regexp.MustCompile(` ?U\+[0-9A-Fa-f]{4,6}( '[^']*')?`)

// typeWords turns go-toml's type mismatch text into plain words.
func typeWords(why string) string {
	if strings.Contains(why, "cannot decode TOML string into") && strings.Contains(why, "int") {
		return "want a whole number without quotes"
	}
	if strings.Contains(why, "cannot decode TOML integer into") && strings.Contains(why, "string") {
		return "want a quoted string"
	}
	if strings.Contains(why, "cannot decode TOML") && strings.Contains(why, "into struct field") {
		return "wrong type (want a quoted string or a whole number as documented)"
	}
	if strings.Contains(why, "cannot decode TOML") {
		return "wrong type"
	}
	if strings.Contains(why, "unexpected character") {
		// go-toml quotes the character, which could be a secret's first.
		return "not a valid value (quote text: key = \"value\")"
	}
	return quotedChar.ReplaceAllString(why, "")
}

// isHeader reports whether line row (1-based) is a [table] header.
func isHeader(data []byte, row int) bool {
	lines := strings.Split(string(data), "\n")
	return row >= 1 && row <= len(lines) && strings.HasPrefix(strings.TrimSpace(lines[row-1]), "[")
}

func keysOf(table string) []string {
	var out []string
	for _, f := range Fields(table) {
		out = append(out, f.Key)
	}
	sort.Strings(out)
	return out
}

// lineOf finds the 1-based line where key is set inside [table] (0: not
// found). It understands table headers, comments and quoted keys; it does
// not need to understand everything, only to point a person at the line.
func lineOf(data []byte, table, key string) int {
	current := ""
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			current = headerName(t)
			continue
		}
		if current != table {
			if current == "" && strings.HasPrefix(t, table+".") && keyOf(strings.TrimPrefix(t, table+".")) == key {
				return i + 1
			}
			continue
		}
		if keyOf(t) == key {
			return i + 1
		}
	}
	return 0
}

// locate says which table and key a line belongs to.
func locate(data []byte, row int) (table, key string) {
	lines := strings.Split(string(data), "\n")
	for i := 0; i < row && i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, "[") {
			table = headerName(t)
		}
	}
	if row >= 1 && row <= len(lines) {
		key = keyOf(strings.TrimSpace(lines[row-1]))
	}
	return table, key
}

func headerName(t string) string {
	t = strings.TrimLeft(t, "[")
	if i := strings.Index(t, "]"); i >= 0 {
		t = t[:i]
	}
	return strings.Trim(strings.TrimSpace(t), `"'`)
}

func keyOf(t string) string {
	if t == "" || strings.HasPrefix(t, "#") {
		return ""
	}
	k, _, ok := strings.Cut(t, "=")
	if !ok {
		return ""
	}
	return strings.Trim(strings.TrimSpace(k), `"'`)
}
