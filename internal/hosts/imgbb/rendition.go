package imgbb

// Renditions are the emulator's resized copies of an image, the box each
// fits in: ImgBB documents no sizes, and its replies show a small "thumb"
// and a "medium" one, so these are the emulator's choice.
var renditions = map[string]int{"thumb": 180, "medium": 640}

// renditionKind reports whether kind names a rendition.
func renditionKind(kind string) bool {
	_, ok := renditions[kind]
	return ok
}
