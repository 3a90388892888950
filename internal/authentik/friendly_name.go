package authentik

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
)

// friendlyNameMode tracks how this server clears friendly_name. authentik up
// to 2025.8 stores NULL for "no friendly name" and rejects ""; from 2025.10
// it stores "" and rejects null. Answers reveal it for free: a stage without
// a friendly name comes back as null on the old servers and "" on the new
// ones. Only when no answer has shown it yet is the version asked, once.
type friendlyNameMode struct{ v atomic.Int32 }

const (
	fnUnknown int32 = iota
	fnNullable
	fnBlank
)

func (m *friendlyNameMode) observe(n NullString) {
	switch {
	case !n.Present:
	case n.Null:
		m.v.Store(fnNullable)
	case n.Value == "":
		m.v.Store(fnBlank)
	}
}

func (m *friendlyNameMode) flip() {
	if m.v.Load() == fnNullable {
		m.v.Store(fnBlank)
	} else {
		m.v.Store(fnNullable)
	}
}

// empty returns the Field that clears friendly_name on this server.
func (m *friendlyNameMode) empty(ctx context.Context, c *Client) Field[string] {
	if m.v.Load() == fnUnknown {
		mode := fnBlank // the current behaviour, if the version cannot be read
		if v, err := c.ServerVersion(ctx); err == nil && VersionBefore(v, 2025, 10) {
			mode = fnNullable
		}
		m.v.CompareAndSwap(fnUnknown, mode)
	}
	if m.v.Load() == fnNullable {
		return Null[string]()
	}
	return Set("")
}

// VersionBefore reports whether an authentik version such as "2025.8.3" is
// older than year.month. Unparseable versions count as current.
func VersionBefore(v string, year, month int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	y, err1 := strconv.Atoi(parts[0])
	mo, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return y < year || (y == year && mo < month)
}
