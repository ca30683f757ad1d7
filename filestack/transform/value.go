// Package transform is the Filestack processing-URL grammar: typed tasks,
// Format to a URL path and Parse back. The client's URL builder and the
// emulator's parser both use it, so there is exactly one grammar.
//
// It imports nothing of fsdeck.
package transform

import (
	"strconv"
	"strings"
)

// Value is one parameter value: a scalar (kept as its exact text so numbers
// round-trip unchanged) or a list of values such as [1,2,3] or [[0,0,10,10]].
type Value struct {
	Text   string
	List   []Value
	IsList bool
}

// Str makes a string value.
func Str(s string) Value { return Value{Text: s} }

// Int makes an integer value.
func Int(n int) Value { return Value{Text: strconv.Itoa(n)} }

// Float makes a number value with the shortest exact text.
func Float(f float64) Value { return Value{Text: strconv.FormatFloat(f, 'f', -1, 64)} }

// Bool makes a true/false value.
func Bool(b bool) Value { return Value{Text: strconv.FormatBool(b)} }

// List makes an array value.
func List(vs ...Value) Value { return Value{List: vs, IsList: true} }

// Ints makes an array of integers.
func Ints(ns ...int) Value {
	vs := make([]Value, len(ns))
	for i, n := range ns {
		vs[i] = Int(n)
	}
	return List(vs...)
}

// AsInt reads the value as an integer (a float with no fraction is accepted).
func (v Value) AsInt() (int, bool) {
	if v.IsList {
		return 0, false
	}
	if n, err := strconv.Atoi(v.Text); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(v.Text, 64)
	if err != nil || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

// AsFloat reads the value as a number.
func (v Value) AsFloat() (float64, bool) {
	if v.IsList {
		return 0, false
	}
	f, err := strconv.ParseFloat(v.Text, 64)
	return f, err == nil
}

// AsBool reads true/false.
func (v Value) AsBool() (bool, bool) {
	if v.IsList {
		return false, false
	}
	switch strings.ToLower(v.Text) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// AsInts reads a flat list of integers.
func (v Value) AsInts() ([]int, bool) {
	if !v.IsList {
		return nil, false
	}
	out := make([]int, len(v.List))
	for i, e := range v.List {
		n, ok := e.AsInt()
		if !ok {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// AsStrings reads a list of scalars as strings; a scalar becomes a list of one.
func (v Value) AsStrings() []string {
	if !v.IsList {
		return []string{v.Text}
	}
	out := make([]string, 0, len(v.List))
	for _, e := range v.List {
		if !e.IsList {
			out = append(out, e.Text)
		}
	}
	return out
}

// String renders the value as it appears in a URL, quoting strings that
// contain characters the grammar uses as separators.
func (v Value) String() string {
	var b strings.Builder
	v.write(&b)
	return b.String()
}

func (v Value) write(b *strings.Builder) {
	if v.IsList {
		b.WriteByte('[')
		for i, e := range v.List {
			if i > 0 {
				b.WriteByte(',')
			}
			e.write(b)
		}
		b.WriteByte(']')
		return
	}
	if needsQuote(v.Text) {
		b.WriteByte('"')
		b.WriteString(v.Text)
		b.WriteByte('"')
		return
	}
	b.WriteString(v.Text)
}

func needsQuote(s string) bool {
	return s == "" || strings.ContainsAny(s, "/,[]=") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ")
}
