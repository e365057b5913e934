package plans

import (
	"context"
	"fmt"
	"strings"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/quota"
	"github.com/ainaukar/naukar/sync/protocol"
)

// DeviceLimit returns how many devices the business's plan in force lets
// it sign in, and the error a login over that limit gets. Devices already
// signed in are never signed out by a lower limit: the limit only stops
// new sign-ins.
func (c *Counter) DeviceLimit(ctx context.Context, businessID string) (int, func([]core.Device) error, error) {
	p, _, err := c.Plan(ctx, businessID)
	if err != nil {
		return 0, nil, err
	}
	return p.Devices, func(signedIn []core.Device) error { return DeviceLimitError(p, signedIn) }, nil
}

// DeviceLimitError is the refusal of a sign-in over the plan's device
// limit: it names the devices signed in and the two ways forward.
func DeviceLimitError(p Plan, signedIn []core.Device) *core.Error {
	names := make([]string, len(signedIn))
	for i, d := range signedIn {
		seen := ""
		if d.LastSeenAt != nil {
			seen = ", last seen " + d.LastSeenAt.In(quota.IST).Format("02-01-2006")
		}
		names[i] = fmt.Sprintf("“%s” (series %s%s)", d.Name, d.Series, seen)
	}
	word := "devices"
	if p.Devices == 1 {
		word = "device"
	}
	return &core.Error{Code: protocol.CodeForbidden, Message: fmt.Sprintf(
		"The %s plan allows %d %s and %d are signed in: %s. To sign in here, sign one of them out "+
			"(on the account page under Devices → Revoke, or Sign out on that device), "+
			"or move to a bigger plan (Settings → Plan on a signed-in device).",
		p.Name, p.Devices, word, len(signedIn), strings.Join(names, ", "))}
}
