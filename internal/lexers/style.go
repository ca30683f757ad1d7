package lexers

import (
	"bytes"
	_ "embed"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

//go:embed monokai.xml
var monokaiXML []byte

// Monokai is chroma's monokai style, read the first time it is asked for.
var Monokai = sync.OnceValue(func() *chroma.Style {
	s, err := chroma.NewXMLStyle(bytes.NewReader(monokaiXML))
	if err != nil {
		panic(err) // embedded: a build mistake, caught by the tests
	}
	return s
})
