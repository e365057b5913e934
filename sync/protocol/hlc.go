package protocol

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	gosync "sync"
	"time"
)

// MaxSkew is how far ahead of the receiver's clock a stamp may be before it
// is refused, so one PC with a wrong clock cannot poison every device.
const MaxSkew = 5 * time.Minute

// ErrClockSkew is returned when a stamp is too far in the future.
var ErrClockSkew = errors.New("clock skew")

// HLC is a hybrid logical clock stamp: wall-clock milliseconds, a counter
// and the device id. Its String form sorts in stamp order.
type HLC struct {
	Wall    int64 // Unix milliseconds
	Counter int32
	Device  string
}

// String renders the stamp as fixed-width sortable text.
func (h HLC) String() string {
	return fmt.Sprintf("%013d.%010d.%s", h.Wall, h.Counter, h.Device)
}

// IsZero reports whether the stamp is unset.
func (h HLC) IsZero() bool { return h.Wall == 0 && h.Counter == 0 && h.Device == "" }

// Less orders stamps by wall, counter, then device.
func (h HLC) Less(o HLC) bool {
	if h.Wall != o.Wall {
		return h.Wall < o.Wall
	}
	if h.Counter != o.Counter {
		return h.Counter < o.Counter
	}
	return h.Device < o.Device
}

// ParseHLC parses the String form.
func ParseHLC(s string) (HLC, error) {
	parts := strings.SplitN(s, ".", 3)
	if len(parts) != 3 || len(parts[0]) != 13 || len(parts[1]) != 10 || parts[2] == "" {
		return HLC{}, fmt.Errorf("bad HLC stamp %q", s)
	}
	w, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return HLC{}, fmt.Errorf("bad HLC stamp %q: %w", s, err)
	}
	c, err := strconv.ParseInt(parts[1], 10, 32)
	if err != nil {
		return HLC{}, fmt.Errorf("bad HLC stamp %q: %w", s, err)
	}
	return HLC{Wall: w, Counter: int32(c), Device: parts[2]}, nil
}

// Clock issues HLC stamps for one device. It is safe for concurrent use.
type Clock struct {
	mu     gosync.Mutex
	device string
	last   HLC
	now    func() time.Time
}

// NewClock returns a clock for device, starting after last (the persisted
// stamp, may be zero) and reading wall time from now (nil means time.Now).
func NewClock(device string, last HLC, now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{device: device, last: last, now: now}
}

// Device returns the clock's device id.
func (c *Clock) Device() string { return c.device }

// Last returns the newest stamp issued or observed.
func (c *Clock) Last() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// Now issues a new stamp, strictly greater than every stamp seen so far.
func (c *Clock) Now() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.now().UnixMilli()
	if wall > c.last.Wall {
		c.last = HLC{Wall: wall, Device: c.device}
	} else {
		c.last = HLC{Wall: c.last.Wall, Counter: c.last.Counter + 1, Device: c.device}
	}
	return c.last
}

// Observe advances the clock past a stamp received from elsewhere. A stamp
// more than MaxSkew ahead of local wall time is refused with ErrClockSkew.
func (c *Clock) Observe(remote HLC) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.now().UnixMilli()
	if remote.Wall-wall > MaxSkew.Milliseconds() {
		return fmt.Errorf("%w: stamp is %s ahead of this clock", ErrClockSkew,
			time.Duration(remote.Wall-wall)*time.Millisecond)
	}
	if c.last.Less(remote) {
		c.last = HLC{Wall: remote.Wall, Counter: remote.Counter, Device: c.device}
	}
	return nil
}

// CheckSkew reports ErrClockSkew if stamp is more than MaxSkew ahead of now.
func CheckSkew(stamp HLC, now time.Time) error {
	if d := stamp.Wall - now.UnixMilli(); d > MaxSkew.Milliseconds() {
		return fmt.Errorf("%w: stamp is %s ahead of the server clock; fix the date and time on this PC",
			ErrClockSkew, time.Duration(d)*time.Millisecond)
	}
	return nil
}
