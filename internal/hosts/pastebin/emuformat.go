package pastebin

// formatLong are the display names of common api_paste_format values, as
// Pastebin's format list spells them; the emulator accepts any
// well-formed name (validFormat), and one not listed here is shown by
// its short name.
var formatLong = map[string]string{
	"text": "None", "bash": "Bash", "c": "C", "cpp": "C++", "csharp": "C#", "css": "CSS", "diff": "Diff",
	"go": "Go", "haskell": "Haskell", "html4strict": "HTML", "html5": "HTML 5", "ini": "INI file",
	"java": "Java", "javascript": "JavaScript", "json": "JSON", "kotlin": "Kotlin", "lua": "Lua",
	"make": "Make", "markdown": "Markdown", "perl": "Perl", "php": "PHP", "powershell": "PowerShell",
	"python": "Python", "ruby": "Ruby", "rust": "Rust", "sql": "SQL", "swift": "Swift", "typescript": "TypeScript",
	"xml": "XML", "yaml": "YAML",
}

// formatNames are a paste's paste_format_short and paste_format_long: a
// paste made without api_paste_format is plain text ("text", "None").
func formatNames(format string) (short, long string) {
	if format == "" {
		format = "text"
	}
	if l, ok := formatLong[format]; ok {
		return format, l
	}
	return format, format
}

// hit counts a view of a paste. The count is saved with the state's
// next change rather than on every view.
func (e *Emulator) hit(id string) {
	e.mu.Lock()
	if p, ok := e.pastes[id]; ok {
		p.Hits++
	}
	e.mu.Unlock()
}
