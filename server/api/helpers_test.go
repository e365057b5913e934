package api_test

import "github.com/ainaukar/naukar/server/core"

func sessionOf(businessID string) core.Session { return core.Session{BusinessID: businessID} }
