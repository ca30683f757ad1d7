package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/fsdeck/fsdeck/assets"
)

// Config is config.toml, validated. Defaults come from the embedded,
// documented assets/config.toml, so the documentation is the defaults.
type Config struct {
	Files, Parts       int
	PartSizeMiB        int
	Intelligent        bool
	NotifyAfterSeconds int
	AskAboveFiles      int
	Store              StoreDefaults
	PreviewMode        string
	ShowHidden         bool
	NativeClipboard    bool
	LocalAddr          string
	CNAME              string
	Theme              map[string]string
	Keys               map[string][]string
	// Openers are [opener]'s rules, in the file's order (the first that
	// matches a file opens it).
	Openers []OpenerRule
}

// OpenerRule opens the files whose name (an extension ".pdf", or a glob
// "*.tar.gz") or MIME type ("image/*") matches Pattern with Run, the
// file's path appended or put where "%s" is; Block: the program takes
// the terminal (an editor, a pager).
type OpenerRule struct {
	Pattern string
	Run     []string
	Block   bool
	line    int
}

// StoreDefaults are the store options uploads use unless told otherwise.
type StoreDefaults struct {
	Location, Path, Container, Region, Access string
}

// DefaultConfig parses the embedded default file.
func DefaultConfig() Config {
	c, warnings := parseConfig("defaults", assets.DefaultConfig, Config{})
	if len(warnings) > 0 {
		panic("assets/config.toml is invalid: " + strings.Join(warnings, "; "))
	}
	return c
}

// LoadConfig reads path over the defaults. A missing file is no error.
// Each problem becomes a warning naming file, line and option, and that
// option keeps its default.
func LoadConfig(path string) (Config, []string) {
	def := DefaultConfig()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return def, nil
	}
	if err != nil {
		return def, []string{fmt.Sprintf("%s: %v; using defaults", path, err)}
	}
	return parseConfig(path, b, def)
}

// option is one known setting: where it goes and how it is checked.
type option struct {
	section, key string
	apply        func(c *Config, v any) error
}

func intIn(lo, hi int, dst func(*Config) *int) func(*Config, any) error {
	return func(c *Config, v any) error {
		n, ok := v.(int64)
		if !ok || n < int64(lo) || n > int64(hi) {
			return fmt.Errorf("expected a whole number from %d to %d", lo, hi)
		}
		*dst(c) = int(n)
		return nil
	}
}

func boolOpt(dst func(*Config) *bool) func(*Config, any) error {
	return func(c *Config, v any) error {
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("expected true or false")
		}
		*dst(c) = b
		return nil
	}
}

func strOpt(allowed []string, dst func(*Config) *string) func(*Config, any) error {
	return func(c *Config, v any) error {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("expected a string")
		}
		if len(allowed) > 0 {
			found := false
			for _, a := range allowed {
				found = found || s == a
			}
			if !found {
				return fmt.Errorf("expected one of %q", allowed)
			}
		}
		*dst(c) = s
		return nil
	}
}

// addrOpt takes a listen address (see CheckAddr).
func addrOpt(dst func(*Config) *string) func(*Config, any) error {
	return func(c *Config, v any) error {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("expected a string")
		}
		if err := CheckAddr(s); err != nil {
			return err
		}
		*dst(c) = s
		return nil
	}
}

var colourRE = regexp.MustCompile(`^(|[0-9]{1,3}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})$`)

var options = []option{
	{"transfers", "files", intIn(1, 64, func(c *Config) *int { return &c.Files })},
	{"transfers", "parts", intIn(1, 64, func(c *Config) *int { return &c.Parts })},
	{"transfers", "part_size_mib", intIn(5, 512, func(c *Config) *int { return &c.PartSizeMiB })},
	{"transfers", "intelligent", boolOpt(func(c *Config) *bool { return &c.Intelligent })},
	{"transfers", "notify_after_seconds", intIn(0, 86400, func(c *Config) *int { return &c.NotifyAfterSeconds })},
	{"transfers", "ask_above_files", intIn(1, 100000000, func(c *Config) *int { return &c.AskAboveFiles })},
	{"store", "location", strOpt([]string{"", "s3", "S3", "gcs", "azure", "rackspace", "dropbox"}, func(c *Config) *string { return &c.Store.Location })},
	{"store", "path", strOpt(nil, func(c *Config) *string { return &c.Store.Path })},
	{"store", "container", strOpt(nil, func(c *Config) *string { return &c.Store.Container })},
	{"store", "region", strOpt(nil, func(c *Config) *string { return &c.Store.Region })},
	{"store", "access", strOpt([]string{"", "public", "private"}, func(c *Config) *string { return &c.Store.Access })},
	{"preview", "mode", strOpt([]string{"auto", "halfblock", "kitty", "sixel", "iterm2", "off"}, func(c *Config) *string { return &c.PreviewMode })},
	{"ui", "show_hidden", boolOpt(func(c *Config) *bool { return &c.ShowHidden })},
	{"ui", "native_clipboard", boolOpt(func(c *Config) *bool { return &c.NativeClipboard })},
	{"local", "addr", addrOpt(func(c *Config) *string { return &c.LocalAddr })},
	{"filestack", "cname", strOpt(nil, func(c *Config) *string { return &c.CNAME })},
}

// parseConfig overlays the file on base. Unknown sections and options,
// wrong types and values out of range are warnings; the rest applies.
func parseConfig(name string, b []byte, base Config) (Config, []string) {
	c := base
	c.Theme = copyMap(base.Theme)
	c.Keys = copyKeys(base.Keys)
	var raw map[string]any
	if err := toml.Unmarshal(b, &raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return base, []string{fmt.Sprintf("%s:%d:%d: %s; using all defaults", name, row, col, de.Error())}
		}
		return base, []string{fmt.Sprintf("%s: %v; using all defaults", name, err)}
	}
	lines := keyLines(b)
	var warns []string
	warn := func(section, key, format string, a ...any) {
		loc := name
		if l := lines[section+"."+key]; l > 0 {
			loc = fmt.Sprintf("%s:%d", name, l)
		}
		opt := section
		if key != "" {
			opt += "." + key
		}
		warns = append(warns, fmt.Sprintf("%s: %s: %s", loc, opt, fmt.Sprintf(format, a...)))
	}
	for _, section := range sortedKeys(raw) {
		table, ok := raw[section].(map[string]any)
		if !ok {
			warn(section, "", "expected a [%s] table; ignored", section)
			continue
		}
		for _, key := range sortedKeys(table) {
			if msg := c.apply(base, section, key, table[key]); msg != "" {
				warn(section, key, "%s", msg)
			}
		}
	}
	c.Openers = append([]OpenerRule(nil), base.Openers...)
	if t, ok := raw["opener"].(map[string]any); ok {
		c.Openers = nil
		for _, key := range sortedKeys(t) {
			r, err := openerRule(key, t[key])
			if err != nil {
				warn("opener", key, "%s; ignored", err)
				continue
			}
			r.line = lines["opener."+key]
			c.Openers = append(c.Openers, r)
		}
		sort.SliceStable(c.Openers, func(i, j int) bool { return c.Openers[i].line < c.Openers[j].line })
	}
	// A key bound twice in one scope silently does only one thing.
	for _, conflict := range KeyConflicts(c.Keys) {
		warns = append(warns, fmt.Sprintf("%s: keys: %s", name, conflict))
	}
	return c, warns
}

// apply sets one option, or says what is wrong with it ("" when fine).
func (c *Config) apply(base Config, section, key string, v any) string {
	switch section {
	case "theme":
		s, ok := v.(string)
		if _, known := base.Theme[key]; !known && base.Theme != nil {
			return "unknown colour name; ignored"
		}
		if !ok || !colourRE.MatchString(s) {
			return "expected an ANSI colour number or #rrggbb; using the default"
		}
		c.Theme[key] = s
		return ""
	case "opener":
		return "" // read whole, in the file's order (parseConfig)
	case "keys":
		keys, err := keyList(v)
		if _, known := base.Keys[key]; !known && base.Keys != nil {
			return "unknown action; ignored"
		}
		if err != nil {
			return err.Error() + "; using the default"
		}
		c.Keys[key] = keys
		return ""
	}
	opt := findOption(section, key)
	if opt == nil {
		return "unknown option; ignored"
	}
	if err := opt.apply(c, v); err != nil {
		return err.Error() + "; using the default"
	}
	return ""
}

// openerRule reads one [opener] line: a command as a list of words
// (["feh", "--scale-down"]), or a table {run = [...], block = true}.
func openerRule(pattern string, v any) (OpenerRule, error) {
	r := OpenerRule{Pattern: pattern}
	if strings.TrimSpace(pattern) == "" {
		return r, fmt.Errorf("expected an extension (\".pdf\"), a glob or a MIME type (\"image/*\")")
	}
	if t, ok := v.(map[string]any); ok {
		for k := range t {
			if k != "run" && k != "block" {
				return r, fmt.Errorf("unknown field %q (expected run and block)", k)
			}
		}
		if b, ok := t["block"]; ok {
			if r.Block, ok = b.(bool); !ok {
				return r, fmt.Errorf("block: expected true or false")
			}
		}
		v = t["run"]
	}
	words, ok := v.([]any)
	if !ok || len(words) == 0 {
		return r, fmt.Errorf("expected a command as a list of words such as [\"feh\", \"--scale-down\"], or {run = [...], block = true}")
	}
	for _, w := range words {
		s, ok := w.(string)
		if !ok || (s == "" && len(r.Run) == 0) {
			return r, fmt.Errorf("expected the command's words as strings, the first not empty")
		}
		r.Run = append(r.Run, s)
	}
	return r, nil
}

func findOption(section, key string) *option {
	for i := range options {
		if options[i].section == section && options[i].key == key {
			return &options[i]
		}
	}
	return nil
}

func keyList(v any) ([]string, error) {
	items, ok := v.([]any)
	if !ok || len(items) == 0 {
		return nil, fmt.Errorf("expected a non-empty list of keys such as [\"u\", \"ctrl+u\"]")
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok || s == "" {
			return nil, fmt.Errorf("expected key names as strings")
		}
		if s == "space" {
			s = " "
		}
		out = append(out, s)
	}
	return out, nil
}

// keyLines maps "section.key" to its line, for messages. It understands
// the plain layout config.toml uses (tables and key = value lines).
func keyLines(b []byte) map[string]int {
	out := map[string]int{}
	section := ""
	for i, line := range strings.Split(string(b), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]"):
			section = strings.TrimSpace(strings.Trim(t, "[]"))
			out[section+"."] = i + 1
		case strings.Contains(t, "=") && !strings.HasPrefix(t, "#"):
			k := strings.Trim(strings.TrimSpace(t[:strings.Index(t, "=")]), `"`)
			out[section+"."+k] = i + 1
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copyKeys(m map[string][]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = append([]string(nil), v...)
	}
	return out
}
