package hosts

import (
	"strconv"
	"strings"
)

// FlexInt is a number in a service's JSON reply that comes as 42 or as
// "42" (XFileSharing-style APIs such as DDownload's quote numbers in some
// replies and not in others; ImgBB's documented example quotes them while
// many clients' typings expect bare ones). null and "" read as 0.
type FlexInt int64

// UnmarshalJSON reads a bare or quoted whole number.
func (f *FlexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	*f = FlexInt(n)
	return err
}
