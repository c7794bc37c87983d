package apihttp

import (
	"fmt"
	"reflect"
	"strings"
)

// ConfigString prints a settings struct as `type{Field:value ...}` with the
// named secret fields shown as [redacted] (or "" when unset), for the
// String, GoString and LogValue methods of the clients' Config types: a
// Config printed with %v, %+v, %#v or logged never shows a credential.
func ConfigString(cfg any, secretFields ...string) string {
	v := reflect.ValueOf(cfg)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "<nil>"
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return "?"
	}
	secret := map[string]bool{}
	for _, f := range secretFields {
		secret[f] = true
	}
	var b strings.Builder
	b.WriteString(v.Type().String())
	b.WriteByte('{')
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.Name)
		b.WriteByte(':')
		fv := v.Field(i)
		switch {
		case secret[f.Name]:
			if fv.IsZero() {
				b.WriteString(`""`)
			} else {
				b.WriteString(Redacted)
			}
		case fv.Kind() == reflect.String:
			fmt.Fprintf(&b, "%q", fv.String())
		case fv.Kind() == reflect.Pointer && !fv.IsNil():
			fmt.Fprintf(&b, "%v", fv.Elem().Interface())
		default:
			fmt.Fprintf(&b, "%v", fv.Interface())
		}
	}
	b.WriteByte('}')
	return b.String()
}
