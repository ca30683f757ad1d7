package ui

import "github.com/fsdeck/fsdeck/ui/uikit"

// copied words a copy's report: "copied" only when a clipboard certainly
// has the text, a warning when it was only sent, an error when nothing
// could be done.
func copied(msg uikit.CopiedMsg) uikit.StatusMsg {
	kind := uikit.StatusWarn
	switch {
	case msg.Report.OK():
		kind = uikit.StatusOK
	case msg.Report.Failed():
		kind = uikit.StatusErr
	}
	return uikit.StatusMsg{Kind: kind, Text: msg.Report.String() + " (" + msg.What + ")"}
}
