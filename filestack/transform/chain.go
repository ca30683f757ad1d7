package transform

import (
	"strings"
)

// Param is one key:value pair of a task. A key without a value (the `false`
// in `cache=false`) has HasValue unset.
type Param struct {
	Key      string
	Value    Value
	HasValue bool
}

// Task is one processing step, such as resize=width:300,fit:crop.
type Task struct {
	Name   string
	Params []Param
}

// NewTask builds a task from alternating keys and values, e.g.
// NewTask("resize", "width", Int(300)).
func NewTask(name string, kv ...any) Task {
	t := Task{Name: name}
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		switch v := kv[i+1].(type) {
		case Value:
			t.Params = append(t.Params, Param{Key: k, Value: v, HasValue: true})
		case string:
			t.Params = append(t.Params, Param{Key: k, Value: Str(v), HasValue: true})
		case int:
			t.Params = append(t.Params, Param{Key: k, Value: Int(v), HasValue: true})
		case float64:
			t.Params = append(t.Params, Param{Key: k, Value: Float(v), HasValue: true})
		case bool:
			t.Params = append(t.Params, Param{Key: k, Value: Bool(v), HasValue: true})
		}
	}
	return t
}

// Lookup finds a parameter by its canonical name or any alias the catalog
// gives it.
func (t Task) Lookup(name string) (Value, bool) {
	spec, _ := Lookup(t.Name)
	for _, p := range t.Params {
		if p.Key == name || (spec != nil && spec.canonical(p.Key) == name) {
			return p.Value, true
		}
	}
	return Value{}, false
}

// Has reports whether the parameter (or its alias) is present, with or without a value.
func (t Task) Has(name string) bool {
	_, ok := t.Lookup(name)
	return ok
}

// Int returns an integer parameter or def.
func (t Task) Int(name string, def int) int {
	if v, ok := t.Lookup(name); ok {
		if n, ok := v.AsInt(); ok {
			return n
		}
	}
	return def
}

// Float returns a numeric parameter or def.
func (t Task) Float(name string, def float64) float64 {
	if v, ok := t.Lookup(name); ok {
		if f, ok := v.AsFloat(); ok {
			return f
		}
	}
	return def
}

// Bool returns a boolean parameter or def.
func (t Task) Bool(name string, def bool) bool {
	if v, ok := t.Lookup(name); ok {
		if b, ok := v.AsBool(); ok {
			return b
		}
	}
	return def
}

// String returns a scalar parameter's text or def.
func (t Task) String(name, def string) string {
	if v, ok := t.Lookup(name); ok && !v.IsList {
		return v.Text
	}
	return def
}

// Set replaces (or appends) a parameter, matching aliases.
func (t *Task) Set(name string, v Value) {
	spec, _ := Lookup(t.Name)
	for i, p := range t.Params {
		if p.Key == name || (spec != nil && spec.canonical(p.Key) == name) {
			t.Params[i] = Param{Key: name, Value: v, HasValue: true}
			return
		}
	}
	t.Params = append(t.Params, Param{Key: name, Value: v, HasValue: true})
}

// Format renders the task as a URL path segment.
func (t Task) Format() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t Task) write(b *strings.Builder) {
	b.WriteString(t.Name)
	for i, p := range t.Params {
		if i == 0 {
			b.WriteByte('=')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(p.Key)
		if p.HasValue {
			b.WriteByte(':')
			p.Value.write(b)
		}
	}
}

// Canonical returns a copy with aliases replaced by canonical parameter
// names and parameters in catalog order, so equal requests get equal keys.
func (t Task) Canonical() Task {
	spec, ok := Lookup(t.Name)
	if !ok {
		return t
	}
	out := Task{Name: spec.Name}
	for _, ps := range spec.Params {
		for _, p := range t.Params {
			if spec.canonical(p.Key) == ps.Name {
				p.Key = ps.Name
				out.Params = append(out.Params, p)
				break
			}
		}
	}
	return out
}

// Source is what a chain processes: one handle or URL, or an array of them.
type Source struct {
	Items []string
	Array bool
}

// Handle makes a source of one handle (or external URL).
func Handle(h string) Source { return Source{Items: []string{h}} }

// ValidHandle reports whether h has the form of a Filestack handle: 20
// characters of [A-Za-z0-9_-].
func ValidHandle(h string) bool {
	if len(h) != 20 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Sources makes an array source, as zip and collage take.
func Sources(items ...string) Source { return Source{Items: items, Array: true} }

// IsExternal reports whether a source item is a URL or storage alias
// rather than a Filestack handle, which makes the API key segment mandatory.
func IsExternal(item string) bool {
	l := strings.ToLower(item)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") ||
		strings.HasPrefix(l, "src://") || strings.HasPrefix(l, "b64://")
}

func (s Source) needsKey() bool {
	if s.Array {
		return true
	}
	for _, it := range s.Items {
		if IsExternal(it) {
			return true
		}
	}
	return false
}

func (s Source) write(b *strings.Builder) {
	if !s.Array {
		if len(s.Items) > 0 {
			b.WriteString(s.Items[0])
		}
		return
	}
	b.WriteByte('[')
	for i, it := range s.Items {
		if i > 0 {
			b.WriteByte(',')
		}
		if IsExternal(it) {
			b.WriteString(`"` + it + `"`)
		} else {
			b.WriteString(it)
		}
	}
	b.WriteByte(']')
}

// Chain is a whole processing request: optional API key segment, optional
// debug flag, tasks in order and the source.
type Chain struct {
	APIKey string
	Debug  bool
	Tasks  []Task
	Source Source
}

// Format renders the chain as a URL path starting with "/". The API key is
// included when set, and Format reports ErrKeyRequired through Validate
// rather than here, so callers can build partial URLs while editing.
func (c Chain) Format() string {
	var b strings.Builder
	if c.APIKey != "" {
		b.WriteByte('/')
		b.WriteString(c.APIKey)
	}
	if c.Debug {
		b.WriteString("/debug")
	}
	for _, t := range c.Tasks {
		b.WriteByte('/')
		t.write(&b)
	}
	b.WriteByte('/')
	c.Source.write(&b)
	return b.String()
}

// URL joins a base such as https://cdn.filestackcontent.com with the chain.
func (c Chain) URL(base string) string {
	return strings.TrimRight(base, "/") + c.Format()
}

// Task returns the first task of that name.
func (c Chain) Task(name string) (Task, bool) {
	for _, t := range c.Tasks {
		if t.Name == name {
			return t, true
		}
	}
	return Task{}, false
}

// Without returns the chain minus the tasks of the given names (the
// emulator strips security and cache before computing a cache key).
func (c Chain) Without(names ...string) Chain {
	out := c
	out.Tasks = nil
	for _, t := range c.Tasks {
		drop := false
		for _, n := range names {
			if t.Name == n {
				drop = true
			}
		}
		if !drop {
			out.Tasks = append(out.Tasks, t)
		}
	}
	return out
}

// Until returns the chain cut before the first task of that name (the
// whole chain when there is none).
func (c Chain) Until(name string) Chain {
	out := c
	for i, t := range c.Tasks {
		if t.Name == name {
			out.Tasks = c.Tasks[:i:i]
			break
		}
	}
	return out
}

// NeedsAPIKey reports whether Filestack requires the API key segment for
// this source (external URLs, storage aliases and arrays).
func (c Chain) NeedsAPIKey() bool { return c.Source.needsKey() }
