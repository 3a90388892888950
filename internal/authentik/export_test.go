package authentik

import "time"

// SetClock replaces the clock that ages the Client's shared verdicts.
func SetClock(c *Client, now func() time.Time) { c.health.now = now }

// VerdictHold is how long a shared verdict lasts.
const VerdictHold = verdictHold
