package transform

// catalog lists the tasks of the Filestack processing API with parameter
// names, aliases and ranges from transforms.schema.ts of filestack-js
// (https://github.com/filestack/filestack-js) and the Processing API reference
// (https://www.filestack.com/docs/transformations/overview/).
var catalog = []TaskSpec{
	{Name: "resize", Doc: "resize to width and/or height", Params: []ParamSpec{
		num("width", KindInt, 0, 10000, "w"), num("height", KindInt, 0, 10000, "h"),
		def(enum("fit", []string{"clip", "crop", "scale", "max"}, "f"), "clip"),
		def(ParamSpec{Name: "align", Kind: KindEnumPair, Enum: aligns, Aliases: []string{"a"}}, "center"),
		p("filter", KindString)}},
	{Name: "crop", Doc: "cut out a rectangle", Params: []ParamSpec{
		length(ParamSpec{Name: "dim", Kind: KindInts, Aliases: []string{"d"}, Min: 0, Max: 100000}, 4),
		num("x", KindInt, 0, 100000), num("y", KindInt, 0, 100000),
		num("width", KindInt, 1, 100000), num("height", KindInt, 1, 100000)}},
	{Name: "rotate", Doc: "rotate by degrees or by EXIF orientation", Params: []ParamSpec{
		words(num("deg", KindInt, 0, 359, "d"), "exif"), p("exif", KindBool, "e"),
		def(p("background", KindColor, "b"), "white")}},
	{Name: "flip", Doc: "mirror vertically"},
	{Name: "flop", Doc: "mirror horizontally"},
	{Name: "watermark", Doc: "overlay another file", Params: []ParamSpec{
		req(p("file", KindString, "f")), num("size", KindInt, 1, 500, "s"),
		def(ParamSpec{Name: "position", Kind: KindEnumPair, Enum: positions, Aliases: []string{"p"}}, "center")}},
	{Name: "rounded_corners", Aliases: []string{"round_corners"}, Doc: "round the corners", Params: []ParamSpec{
		def(words(num("radius", KindInt, 1, 10000, "r"), "max"), "50"), def(num("blur", KindFloat, 0, 20, "l"), "0.3"),
		def(p("background", KindColor, "b"), "white")}},
	{Name: "circle", Doc: "crop to a circle", Params: []ParamSpec{def(p("background", KindColor, "b"), "white")}},
	{Name: "border", Doc: "add a border", Params: []ParamSpec{
		def(num("width", KindInt, 1, 1000, "w"), "2"), def(p("color", KindColor, "c"), "black"),
		def(p("background", KindColor, "b"), "white")}},
	{Name: "sharpen", Doc: "sharpen", Params: []ParamSpec{def(num("amount", KindInt, 0, 20, "a"), "2")}},
	{Name: "blur", Doc: "gaussian blur", Params: []ParamSpec{def(num("amount", KindInt, 0, 20, "a"), "2")}},
	{Name: "monochrome", Doc: "greyscale"},
	{Name: "negative", Doc: "invert colours"},
	{Name: "blackwhite", Doc: "threshold to black and white", Params: []ParamSpec{def(num("threshold", KindInt, 0, 100, "t"), "50")}},
	{Name: "sepia", Doc: "sepia tone", Params: []ParamSpec{def(num("tone", KindInt, 0, 100, "t"), "80")}},
	{Name: "pixelate", Doc: "pixelate", Params: []ParamSpec{def(num("amount", KindInt, 2, 100, "a"), "2")}},
	{Name: "modulate", Doc: "brightness, saturation and hue", Params: []ParamSpec{
		def(num("brightness", KindInt, 0, 10000, "b"), "100"), def(num("saturation", KindInt, 0, 10000, "s"), "100"),
		def(num("hue", KindInt, 0, 359, "h"), "0")}},
	{Name: "partial_pixelate", Doc: "pixelate regions", Params: []ParamSpec{
		req(length(ParamSpec{Name: "objects", Kind: KindIntLists, Aliases: []string{"o"}, Min: 0, Max: 100000}, 4)),
		def(num("amount", KindInt, 2, 100, "a"), "10"), def(enum("type", []string{"rect", "oval"}, "t"), "rect")}},
	{Name: "partial_blur", Doc: "blur regions", Params: []ParamSpec{
		req(length(ParamSpec{Name: "objects", Kind: KindIntLists, Aliases: []string{"o"}, Min: 0, Max: 100000}, 4)),
		def(num("amount", KindInt, 0, 20, "a"), "10"), def(num("blur", KindFloat, 0, 20, "l"), "4"),
		def(enum("type", []string{"rect", "oval"}, "t"), "rect")}},
	{Name: "output", Doc: "convert format and quality", Params: []ParamSpec{
		enum("format", outFormats, "f"), num("page", KindInt, 1, 99999, "p"), num("density", KindInt, 1, 500, "d"),
		p("compress", KindBool, "c"), words(num("quality", KindInt, 1, 100, "q"), "input"), p("secure", KindBool, "s"),
		p("docinfo", KindBool, "i"), p("strip", KindBool), enum("colorspace", []string{"rgb", "cmyk", "input"}),
		p("background", KindColor, "b"),
		enum("pageformat", []string{"a2", "a3", "a4", "a5", "b4", "b5", "letter", "legal", "tabloid"}),
		enum("pageorientation", []string{"portrait", "landscape"})}},
	{Name: "quality", Doc: "JPEG/WebP quality", Params: []ParamSpec{req(num("value", KindInt, 1, 100, "v"))}},
	{Name: "compress", Doc: "re-encode smaller", Params: []ParamSpec{p("metadata", KindBool, "m")}},
	{Name: "no_metadata", Doc: "drop EXIF and other metadata"},
	{Name: "auto_image", Doc: "serve WebP to clients that accept it"},
	{Name: "cache", Doc: "CDN cache control", Params: []ParamSpec{
		p("false", KindFlag), words(num("expiry", KindInt, 0, 31536000, "e"), "max")}},
	{Name: "security", Doc: "policy and signature", Params: []ParamSpec{
		req(p("policy", KindString, "p")), req(p("signature", KindString, "s"))}},
	{Name: "store", Doc: "store the result as a new file", JSON: true, Params: []ParamSpec{
		p("filename", KindString, "f"), p("location", KindString, "l"), p("path", KindString, "p"),
		p("container", KindString, "c"), p("region", KindString, "r"),
		enum("access", []string{"public", "private"}, "a"), p("base64decode", KindBool, "b"),
		p("workflows", KindStrings, "w")}},
	{Name: "zip", Doc: "zip the sources"},
	{Name: "fallback", Doc: "serve another file on failure", Params: []ParamSpec{
		req(p("handle", KindString, "f")), num("cache", KindInt, 1, 31536000, "c")}},
	{Name: "metadata", JSON: true, Doc: "file metadata as JSON", Params: []ParamSpec{
		p("size", KindBool), p("mimetype", KindBool), p("filename", KindBool), p("width", KindBool),
		p("height", KindBool), p("uploaded", KindBool), p("writeable", KindBool), p("md5", KindBool),
		p("sha1", KindBool), p("sha256", KindBool), p("location", KindBool), p("path", KindBool),
		p("container", KindBool), p("exif", KindBool)}},
	{Name: "imagesize", JSON: true, Doc: "image width and height as JSON"},

	unsupported("vignette", "vignette", false),
	unsupported("polaroid", "polaroid frame", false),
	unsupported("shadow", "drop shadow", false),
	unsupported("torn_edges", "torn edges", false),
	unsupported("oil_paint", "oil paint effect", false),
	unsupported("collage", "collage of files", false),
	unsupported("ascii", "ASCII art", false),
	unsupported("animate", "animated GIF from sources", false),
	unsupported("pjpg", "progressive JPEG", false),
	unsupported("detect_faces", "face detection (ML)", true),
	unsupported("crop_faces", "crop to faces (ML)", false),
	unsupported("pixelate_faces", "pixelate faces (ML)", false),
	unsupported("blur_faces", "blur faces (ML)", false),
	unsupported("smart_crop", "content-aware crop (ML)", false),
	unsupported("upscale", "super-resolution (ML)", false),
	unsupported("enhance", "auto enhancement (ML)", false),
	unsupported("redeye", "red-eye removal (ML)", false),
	unsupported("tags", "image tagging (ML)", true),
	unsupported("sfw", "safe-for-work check (ML)", true),
	unsupported("ocr", "text recognition (ML)", true),
	unsupported("caption", "image captioning (ML)", true),
	unsupported("image_sentiment", "image sentiment (ML)", true),
	unsupported("text_sentiment", "text sentiment (ML)", true),
	unsupported("doc_detection", "document detection (ML)", false),
	unsupported("pdfinfo", "PDF information (document engine)", true),
	unsupported("pdfconvert", "PDF conversion (document engine)", false),
	unsupported("pdfcreate", "PDF creation (document engine)", false),
	unsupported("doc_to_images", "document to images (document engine)", true),
	unsupported("slide", "slides (document engine)", false),
	unsupported("preview", "document preview (document engine)", false),
	unsupported("minify_js", "JavaScript minifier", false),
	unsupported("minify_css", "CSS minifier", false),
	unsupported("video_convert", "video conversion (video engine)", true),
	unsupported("video_playlist", "video playlist (video engine)", true),
	unsupported("urlscreenshot", "web page screenshot (browser engine)", false),
	unsupported("qr", "QR code generation", false),
	unsupported("run_workflow", "workflows", true),
	unsupported("workflow_status", "workflows", true),
}
