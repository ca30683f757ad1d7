package transform

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// ParseError describes a processing URL that does not follow the grammar.
type ParseError struct {
	Msg string
}

func (e *ParseError) Error() string { return e.Msg }

func perr(format string, a ...any) error { return &ParseError{Msg: fmt.Sprintf(format, a...)} }

// maxPathLen bounds the work done on hostile input.
const maxPathLen = 64 << 10

// Parse reads a processing path such as
// "/KEY/resize=width:300/security=p:..,s:../HANDLE" or one whose source is an
// external URL (which may carry its own query string). It checks syntax only;
// Validate checks task names and parameters against the catalog.
func Parse(path string) (Chain, error) {
	var c Chain
	if len(path) > maxPathLen {
		return c, perr("processing URL is too long (%d bytes)", len(path))
	}
	segs, src, err := splitPath(strings.TrimPrefix(path, "/"))
	if err != nil {
		return c, err
	}
	if src == "" {
		if len(segs) == 0 || segs[len(segs)-1] == "" {
			return c, perr("processing URL has no source handle or URL")
		}
		src = segs[len(segs)-1]
		segs = segs[:len(segs)-1]
	}
	if len(segs) > 0 && isKeySegment(segs[0]) {
		c.APIKey, segs = segs[0], segs[1:]
	}
	if len(segs) > 0 && segs[0] == "debug" {
		c.Debug, segs = true, segs[1:]
	}
	if len(segs) >= 2 && segs[0] == "b64" {
		tasks, err := parseB64Tasks(segs[1])
		if err != nil {
			return c, err
		}
		c.Tasks, segs = tasks, segs[2:]
	}
	for _, s := range segs {
		if s == "" {
			return c, perr("processing URL has an empty task segment")
		}
		if s == "debug" || s == "b64" {
			return c, perr("`%s` must come right after the API key, before every task", s)
		}
		t, err := ParseTask(s)
		if err != nil {
			return c, err
		}
		c.Tasks = append(c.Tasks, t)
	}
	c.Source, err = parseSource(src)
	return c, err
}

func isKeySegment(s string) bool {
	if !isIdent(s) || s == "debug" || s == "b64" {
		return false
	}
	_, known := Lookup(s)
	return !known
}

// splitPath splits on "/" outside quotes and brackets. When a segment starts
// an external URL, the rest of the path is returned verbatim as the source.
func splitPath(p string) (segs []string, src string, err error) {
	start, depth, quoted := 0, 0, false
	for i := 0; i < len(p); i++ {
		if i == start && !quoted && depth == 0 && startsExternal(p[i:]) {
			return segs, p[i:], nil
		}
		switch ch := p[i]; {
		case ch == '"':
			quoted = !quoted
		case quoted:
		case ch == '[':
			depth++
		case ch == ']':
			if depth == 0 {
				return nil, "", perr("unbalanced ] in processing URL")
			}
			depth--
		case ch == '/' && depth == 0:
			segs = append(segs, p[start:i])
			start = i + 1
		}
	}
	if quoted {
		return nil, "", perr("unterminated quote in processing URL")
	}
	if depth != 0 {
		return nil, "", perr("unbalanced [ in processing URL")
	}
	return append(segs, p[start:]), "", nil
}

func startsExternal(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"http:", "https:", "src:", "b64:", "http%3a", "https%3a", `"http`} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func parseSource(s string) (Source, error) {
	if strings.HasPrefix(s, "[") {
		v, rest, err := parseValue(s)
		if err != nil {
			return Source{}, err
		}
		if rest != "" || !v.IsList || len(v.List) == 0 {
			return Source{}, perr("malformed source array %q", s)
		}
		src := Source{Array: true}
		for _, e := range v.List {
			if e.IsList || !validSource(e.Text) {
				return Source{}, perr("malformed source array %q", s)
			}
			src.Items = append(src.Items, e.Text)
		}
		return src, nil
	}
	if strings.HasPrefix(s, `"`) && strings.HasSuffix(s, `"`) && len(s) >= 2 {
		s = s[1 : len(s)-1]
	}
	if l := strings.ToLower(s); strings.HasPrefix(l, "http%3a") || strings.HasPrefix(l, "https%3a") {
		u, err := url.PathUnescape(s)
		if err != nil {
			return Source{}, perr("malformed source URL: %v", err)
		}
		s = u
	}
	if strings.HasPrefix(s, "b64://") {
		raw, err := decodeB64(strings.TrimPrefix(s, "b64://"))
		if err != nil {
			return Source{}, perr("malformed b64:// source")
		}
		s = string(raw)
	}
	if !validSource(s) {
		return Source{}, perr("invalid source %q: expected a handle or an http(s) URL", s)
	}
	return Handle(s), nil
}

// validSource accepts handles (and other plain identifiers such as storage
// paths' handles) and external URLs without quotes, spaces or control bytes.
func validSource(s string) bool {
	if s == "" || strings.ContainsAny(s, "\" \t\r\n") {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	if IsExternal(s) {
		return true
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// ParseTask reads one task segment such as "resize=width:300,fit:crop".
func ParseTask(s string) (Task, error) {
	name, rest, hasParams := strings.Cut(s, "=")
	if !isIdent(name) {
		return Task{}, perr("invalid task name %q", name)
	}
	t := Task{Name: name}
	if !hasParams {
		return t, nil
	}
	if rest == "" {
		return Task{}, perr("task `%s` has an empty parameter list", name)
	}
	for rest != "" {
		var p Param
		var err error
		p, rest, err = parseParam(rest)
		if err != nil {
			return Task{}, perr("task `%s`: %v", name, err)
		}
		t.Params = append(t.Params, p)
	}
	return t, nil
}

func parseParam(s string) (Param, string, error) {
	i := strings.IndexAny(s, ":,")
	if i < 0 {
		if !isIdent(s) {
			return Param{}, "", fmt.Errorf("invalid parameter name %q", s)
		}
		return Param{Key: s}, "", nil
	}
	key := s[:i]
	if !isIdent(key) {
		return Param{}, "", fmt.Errorf("invalid parameter name %q", key)
	}
	if s[i] == ',' {
		return Param{Key: key}, s[i+1:], nil
	}
	v, rest, err := parseValue(s[i+1:])
	if err != nil {
		return Param{}, "", err
	}
	if rest != "" {
		if rest[0] != ',' || len(rest) == 1 {
			return Param{}, "", fmt.Errorf("unexpected %q after parameter `%s`", rest, key)
		}
		rest = rest[1:]
	}
	return Param{Key: key, Value: v, HasValue: true}, rest, nil
}

// parseValue reads one value and returns the unread remainder, which starts
// with "," or "]" (or is empty).
func parseValue(s string) (Value, string, error) {
	switch {
	case strings.HasPrefix(s, "["):
		var items []Value
		rest := s[1:]
		if strings.HasPrefix(rest, "]") {
			return List(), rest[1:], nil
		}
		for {
			v, r, err := parseValue(rest)
			if err != nil {
				return Value{}, "", err
			}
			items = append(items, v)
			if r == "" {
				return Value{}, "", fmt.Errorf("unterminated array")
			}
			if r[0] == ']' {
				return List(items...), r[1:], nil
			}
			rest = r[1:]
		}
	case strings.HasPrefix(s, `"`):
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return Value{}, "", fmt.Errorf("unterminated quote")
		}
		return Str(s[1 : end+1]), s[end+2:], nil
	}
	end := strings.IndexAny(s, ",]")
	if end < 0 {
		end = len(s)
	}
	if strings.ContainsRune(s[:end], '"') {
		return Value{}, "", fmt.Errorf("stray quote in %q", s[:end])
	}
	return Str(s[:end]), s[end:], nil
}

// isIdent accepts task and parameter names: letters, digits, underscore.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func decodeB64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// parseB64Tasks reads the JSON form used by filestack-js: a base64url JSON
// array of {"name": ..., "params": {...}} objects.
func parseB64Tasks(s string) ([]Task, error) {
	raw, err := decodeB64(s)
	if err != nil {
		return nil, perr("malformed b64 task list")
	}
	var items []struct {
		Name   string         `json:"name"`
		Params map[string]any `json:"params"`
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, perr("malformed b64 task list: %v", err)
	}
	tasks := make([]Task, 0, len(items))
	for _, it := range items {
		if it.Name == "" {
			return nil, perr("b64 task list has a task with no name")
		}
		tasks = append(tasks, FromJSON(it.Name, it.Params))
	}
	return tasks, nil
}

func jsonValue(v any) Value {
	switch x := v.(type) {
	case []any:
		vs := make([]Value, len(x))
		for i, e := range x {
			vs[i] = jsonValue(e)
		}
		return List(vs...)
	case float64:
		return Float(x)
	case bool:
		return Bool(x)
	case string:
		return Str(x)
	case nil:
		return Str("")
	}
	b, _ := json.Marshal(v)
	return Str(string(b))
}

// FromJSON builds a task from the JSON form used by /process and the b64
// URL form: {"name": ..., "params": {...}}; parameters sorted by key.
func FromJSON(name string, params map[string]any) Task {
	t := Task{Name: name}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Params = append(t.Params, Param{Key: k, Value: jsonValue(params[k]), HasValue: true})
	}
	return t
}

// ParseValue reads one parameter value as typed by a person: a scalar, a
// quoted string, or an array such as [1,2,3,4].
func ParseValue(s string) (Value, error) {
	v, rest, err := parseValue(strings.TrimSpace(s))
	if err != nil {
		return Value{}, perr("%v", err)
	}
	if rest != "" {
		return Value{}, perr("unexpected %q after the value", rest)
	}
	return v, nil
}
