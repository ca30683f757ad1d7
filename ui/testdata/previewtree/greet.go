package demo

// Greet says hello; this comment is long enough that it must be cut at the edge of the preview pane and never wrap into the layout below it.
func Greet(name string) string {
	if name == "" {
		return "hello, world"
	}
	return "hello, " + name
}
