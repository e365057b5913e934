package protocol

import "time"

// ServerDevice is the device part of the stamps the server makes when it
// writes rows itself (a WhatsApp message's status, an opt-out, a payment
// received through a payment link). Such rows merge by the same rules as
// any device's: the server is one more device of every business.
const ServerDevice = "server"

// ServerStamp is the stamp of a server event that happened at at. order
// breaks ties between events of the same millisecond (a later step of one
// story gets a higher order), so that the newer event wins the merge
// whatever order the events arrive in, and the same event written twice
// gets the same stamp and changes nothing the second time.
func ServerStamp(at time.Time, order int32) HLC {
	return HLC{Wall: at.UnixMilli(), Counter: order, Device: ServerDevice}
}
