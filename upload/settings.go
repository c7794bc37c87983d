package upload

import "reflect"

// FillDefaults sets every unset field of *settings, a platform's settings
// struct, to its value in defaults (a value of the same type, as the
// descriptor's Defaults returns). Unset is the zero value, a negative
// number or duration, or a Rate without N or Per; embedded structs are
// filled field by field.
func FillDefaults(settings, defaults any) {
	fill(reflect.ValueOf(settings).Elem(), reflect.ValueOf(defaults))
}

func fill(v, d reflect.Value) {
	for i := 0; i < v.NumField(); i++ {
		f, sf := v.Field(i), v.Type().Field(i)
		switch {
		case !sf.IsExported():
		case sf.Anonymous && f.Kind() == reflect.Struct:
			fill(f, d.Field(i))
		case unset(f):
			f.Set(d.Field(i))
		}
	}
}

func unset(f reflect.Value) bool {
	switch f.Kind() {
	case reflect.Int, reflect.Int64:
		return f.Int() <= 0
	case reflect.Struct:
		if r, ok := f.Interface().(Rate); ok {
			return r.N <= 0 || r.Per <= 0
		}
	}
	return f.IsZero()
}
