package transform

import (
	"fmt"
	"strings"
)

// Error is a task or parameter problem, worded like Filestack's processing
// engine (e.g. "invalid parameter `heigt` for `resize` task").
type Error struct {
	Task  string
	Param string
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

// Validate checks every task of the chain against the catalog: known task
// names, known parameters, value types and ranges, required parameters.
func (c Chain) Validate() error {
	if len(c.Source.Items) == 0 {
		return &Error{Msg: "processing URL has no source"}
	}
	if c.NeedsAPIKey() && c.APIKey == "" {
		return &Error{Msg: "an API key is required in the URL when the source is an external URL or an array"}
	}
	for _, t := range c.Tasks {
		if err := t.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks one task against the catalog.
func (t Task) Validate() error {
	spec, ok := Lookup(t.Name)
	if !ok {
		return &Error{Task: t.Name, Msg: UnknownTask("invalid", t.Name)}
	}
	if spec.acceptsAny() {
		return nil
	}
	seen := map[string]bool{}
	for _, p := range t.Params {
		ps := spec.param(p.Key)
		if ps == nil {
			msg := fmt.Sprintf("invalid parameter `%s` for `%s` task", p.Key, t.Name)
			if n := spec.nearestParam(p.Key); n != "" {
				msg += fmt.Sprintf("; did you mean `%s`?", n)
			}
			return &Error{Task: t.Name, Param: p.Key, Msg: msg}
		}
		if seen[ps.Name] {
			return &Error{Task: t.Name, Param: p.Key, Msg: fmt.Sprintf("parameter `%s` given twice for `%s` task", ps.Name, t.Name)}
		}
		seen[ps.Name] = true
		if err := ps.check(p); err != nil {
			return &Error{Task: t.Name, Param: p.Key,
				Msg: fmt.Sprintf("invalid value for parameter `%s` of `%s` task: %v", p.Key, t.Name, err)}
		}
	}
	for _, ps := range spec.Params {
		if ps.Required && !seen[ps.Name] {
			return &Error{Task: t.Name, Param: ps.Name, Msg: fmt.Sprintf("missing required parameter `%s` for `%s` task", ps.Name, t.Name)}
		}
	}
	return t.crossCheck()
}

// crossCheck holds the few rules that involve more than one parameter.
func (t Task) crossCheck() error {
	switch t.Name {
	case "resize":
		if t.Int("width", 0) == 0 && t.Int("height", 0) == 0 {
			return &Error{Task: t.Name, Msg: "`resize` task needs `width` or `height`"}
		}
	case "crop":
		if !t.Has("dim") && !(t.Has("width") && t.Has("height")) {
			return &Error{Task: t.Name, Msg: "`crop` task needs `dim:[x,y,width,height]`"}
		}
	case "cache":
		if !t.Has("false") && !t.Has("expiry") {
			return &Error{Task: t.Name, Msg: "`cache` task needs `false` or `expiry`"}
		}
	}
	return nil
}

// Check validates one value against the spec; the transform studio uses it
// to validate a field as the user types.
func (ps *ParamSpec) Check(v Value) error {
	return ps.check(Param{Key: ps.Name, Value: v, HasValue: true})
}

func (ps *ParamSpec) check(p Param) error {
	if ps.Kind == KindFlag {
		if p.HasValue {
			return fmt.Errorf("takes no value")
		}
		return nil
	}
	if !p.HasValue {
		return fmt.Errorf("needs a value")
	}
	v := p.Value
	if hasQuote(v) {
		return fmt.Errorf("values cannot contain double quotes")
	}
	if !v.IsList && ps.isWord(v.Text) {
		return nil
	}
	switch ps.Kind {
	case KindInt:
		n, ok := v.AsInt()
		if !ok {
			return fmt.Errorf("expected an integer%s", ps.rangeText())
		}
		return ps.inRange(float64(n))
	case KindFloat:
		f, ok := v.AsFloat()
		if !ok {
			return fmt.Errorf("expected a number%s", ps.rangeText())
		}
		return ps.inRange(f)
	case KindBool:
		if _, ok := v.AsBool(); !ok {
			return fmt.Errorf("expected true or false")
		}
	case KindString:
		if v.IsList {
			return fmt.Errorf("expected a string")
		}
	case KindEnum:
		if v.IsList || !ps.inEnum(v.Text) {
			return fmt.Errorf("expected one of %s", ps.EnumString())
		}
	case KindEnumPair:
		return ps.checkPair(v)
	case KindColor:
		if v.IsList || !IsColor(v.Text) {
			return fmt.Errorf("expected a colour (hex like FF0000 or a name like white)")
		}
	case KindInts:
		return ps.checkInts(v)
	case KindIntLists:
		return ps.checkIntLists(v)
	case KindStrings:
		for _, e := range v.List {
			if e.IsList {
				return fmt.Errorf("expected a string or an array of strings")
			}
		}
	}
	return nil
}

func (ps *ParamSpec) checkIntLists(v Value) error {
	if !v.IsList || len(v.List) == 0 || len(v.List) > 50 {
		return fmt.Errorf("expected 1 to 50 arrays of %d integers", ps.Len)
	}
	for _, e := range v.List {
		if err := ps.checkInts(e); err != nil {
			return err
		}
	}
	return nil
}

func (ps *ParamSpec) isWord(s string) bool {
	for _, w := range ps.Words {
		if s == w {
			return true
		}
	}
	return false
}

func (ps *ParamSpec) inEnum(s string) bool {
	for _, e := range ps.Enum {
		if strings.EqualFold(s, e) {
			return true
		}
	}
	return false
}

func (ps *ParamSpec) checkPair(v Value) error {
	if !v.IsList {
		if !ps.inEnum(v.Text) {
			return fmt.Errorf("expected one of %s or a [vertical,horizontal] pair", ps.EnumString())
		}
		return nil
	}
	if len(v.List) != 2 || v.List[0].IsList || v.List[1].IsList || !ps.inEnum(v.List[0].Text) || !ps.inEnum(v.List[1].Text) {
		return fmt.Errorf("expected a [vertical,horizontal] pair of %s", ps.EnumString())
	}
	return nil
}

func (ps *ParamSpec) checkInts(v Value) error {
	ns, ok := v.AsInts()
	if !ok || (ps.Len > 0 && len(ns) != ps.Len) {
		return fmt.Errorf("expected an array of %d integers", ps.Len)
	}
	for _, n := range ns {
		if err := ps.inRange(float64(n)); err != nil {
			return err
		}
	}
	return nil
}

func (ps *ParamSpec) rangeText() string {
	if ps.Min == 0 && ps.Max == 0 {
		return ""
	}
	s := fmt.Sprintf(" from %g to %g", ps.Min, ps.Max)
	if len(ps.Words) > 0 {
		s += " or " + strings.Join(ps.Words, ", ")
	}
	return s
}

func (ps *ParamSpec) inRange(f float64) error {
	if ps.Min == 0 && ps.Max == 0 {
		return nil
	}
	if f < ps.Min || f > ps.Max {
		return fmt.Errorf("%g is out of range%s", f, ps.rangeText())
	}
	return nil
}

func hasQuote(v Value) bool {
	if v.IsList {
		for _, e := range v.List {
			if hasQuote(e) {
				return true
			}
		}
		return false
	}
	return strings.ContainsRune(v.Text, '"')
}
