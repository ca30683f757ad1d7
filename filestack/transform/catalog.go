package transform

import "strings"

// Kind is the type of a task parameter.
type Kind int

// Parameter kinds. Words lists extra bare words a numeric kind accepts
// (rotate's "exif", rounded_corners' "max", output quality's "input").
const (
	KindInt Kind = iota
	KindFloat
	KindBool
	KindString
	KindEnum
	KindColor
	KindInts     // flat array of integers, Len elements when Len > 0
	KindIntLists // array of integer arrays of Len elements each
	KindStrings  // a string or an array of strings
	KindEnumPair // an enum word or a [vertical,horizontal] pair
	KindFlag     // a key with no value, as in cache=false
	KindAny      // anything; used for tasks the emulator cannot run
)

// Support says how the emulator serves a task.
type Support int

// Support levels: Native tasks are computed for real; Unsupported ones need
// engines (ML, office, video) and the emulator answers 400 naming them.
const (
	Native Support = iota
	Unsupported
)

// ParamSpec describes one parameter of a task.
type ParamSpec struct {
	Name     string
	Aliases  []string
	Kind     Kind
	Min, Max float64
	Enum     []string
	Words    []string
	Len      int
	Default  string
	Required bool
}

// TaskSpec describes one task of the processing grammar.
type TaskSpec struct {
	Name    string
	Aliases []string
	Params  []ParamSpec
	Support Support
	// JSON marks tasks whose result is a JSON document, not a file.
	JSON bool
	// Doc is a one-line description for help and the transform studio.
	Doc string
}

func (s *TaskSpec) param(key string) *ParamSpec {
	for i := range s.Params {
		p := &s.Params[i]
		if p.Name == key {
			return p
		}
		for _, a := range p.Aliases {
			if a == key {
				return p
			}
		}
	}
	return nil
}

func (s *TaskSpec) canonical(key string) string {
	if p := s.param(key); p != nil {
		return p.Name
	}
	return key
}

// Param returns the spec of a parameter by name or alias.
func (s *TaskSpec) Param(key string) (*ParamSpec, bool) {
	p := s.param(key)
	return p, p != nil
}

// Lookup returns the spec of a task by name or alias.
func Lookup(name string) (*TaskSpec, bool) {
	s, ok := catalogIndex[name]
	return s, ok
}

// Catalog returns every task the grammar knows, in catalogue order.
func Catalog() []*TaskSpec {
	out := make([]*TaskSpec, len(catalog))
	for i := range catalog {
		out[i] = &catalog[i]
	}
	return out
}

var catalogIndex = func() map[string]*TaskSpec {
	m := make(map[string]*TaskSpec)
	for i := range catalog {
		s := &catalog[i]
		m[s.Name] = s
		for _, a := range s.Aliases {
			m[a] = s
		}
	}
	return m
}()

var (
	aligns     = []string{"top", "middle", "bottom", "left", "center", "right", "faces"}
	positions  = []string{"top", "middle", "bottom", "left", "center", "right"}
	outFormats = []string{"doc", "docx", "html", "jpg", "jpeg", "odp", "ods", "odt", "pjpg", "pdf", "png", "ppt", "pptx", "svg", "txt", "webp", "xls", "xlsx", "gif", "bmp", "tiff"}
)

func p(name string, kind Kind, aliases ...string) ParamSpec {
	return ParamSpec{Name: name, Kind: kind, Aliases: aliases}
}

func num(name string, kind Kind, min, max float64, aliases ...string) ParamSpec {
	return ParamSpec{Name: name, Kind: kind, Min: min, Max: max, Aliases: aliases}
}

func enum(name string, values []string, aliases ...string) ParamSpec {
	return ParamSpec{Name: name, Kind: KindEnum, Enum: values, Aliases: aliases}
}

func words(ps ParamSpec, w ...string) ParamSpec { ps.Words = w; return ps }
func req(ps ParamSpec) ParamSpec                { ps.Required = true; return ps }
func length(ps ParamSpec, n int) ParamSpec      { ps.Len = n; return ps }
func def(ps ParamSpec, d string) ParamSpec      { ps.Default = d; return ps }

// unsupported declares a task that needs an engine the emulator lacks; its
// parameters are not checked beyond the grammar.
func unsupported(name, doc string, jsonOut bool) TaskSpec {
	return TaskSpec{Name: name, Support: Unsupported, JSON: jsonOut, Doc: doc,
		Params: []ParamSpec{{Name: "*", Kind: KindAny}}}
}

// IsImplemented reports whether the emulator computes this task for real.
func (s *TaskSpec) IsImplemented() bool { return s.Support == Native }

func (s *TaskSpec) acceptsAny() bool {
	return len(s.Params) == 1 && s.Params[0].Name == "*"
}

// EnumString lists an enum's values for messages.
func (ps *ParamSpec) EnumString() string { return strings.Join(ps.Enum, ", ") }
