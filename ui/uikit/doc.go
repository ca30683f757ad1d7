// Package uikit is what every part of fsdeck's interface shares: the key
// map and the styles built from config.toml, the messages components
// send to the root, and the widgets they are drawn with (lists, marks,
// the filter line, fuzzy matching, formatting, images, the terminal
// writer).
//
// It imports charm packages and fsdeck's service packages only; never
// ui or a component package (ui/localpane, ui/remotepane, …), which all
// import it.
package uikit
