package store_test

import (
	"context"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/messaging"
	"github.com/ainaukar/naukar/app/store"
)

// TestReminderRuleSetting: the rule is kept in the books' profile, checked
// when set, survives a save of a profile read before it was set (the
// Settings screen's), and turns off; the ids of a rule's reminders are the
// same wherever they are made and differ per party, due, number and try.
func TestReminderRuleSetting(t *testing.T) {
	ctx := context.Background()
	s := MustBooks(t)
	stale, err := s.Business()
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.ReminderRule(); err != nil || r != nil {
		t.Fatalf("a new shop's rule: %+v %v", r, err)
	}
	t.Run("ErrBadRule", func(t *testing.T) {
		err := s.SetReminderRule(ctx, &messaging.Rule{After: 3, Every: 0, Max: 3})
		if books.ErrorCode(err) != books.EINVALID {
			t.Fatal(err)
		}
	})
	rule := messaging.Rule{After: 2, Every: 5, Max: 4}
	if err := s.SetReminderRule(ctx, &rule); err != nil {
		t.Fatal(err)
	}
	stale.City = "Pune"
	if err := s.SaveBusiness(stale); err != nil {
		t.Fatal(err)
	}
	if r, err := s.ReminderRule(); err != nil || r == nil || *r != rule {
		t.Fatalf("after a profile save: %+v %v", r, err)
	}
	if b, _ := s.Business(); b.City != "Pune" {
		t.Fatalf("the profile: %+v", b)
	}
	if err := s.SetReminderRule(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if r, err := s.ReminderRule(); err != nil || r != nil {
		t.Fatalf("turned off: %+v %v", r, err)
	}

	since := day("2026-10-01")
	id := store.RuleReminderID("biz", "party", since, 1, 0)
	seen := map[string]bool{id: true}
	for _, other := range []string{store.RuleReminderID("biz", "party2", since, 1, 0), store.RuleReminderID("biz", "party", day("2026-10-02"), 1, 0),
		store.RuleReminderID("biz", "party", since, 2, 0), store.RuleReminderID("biz", "party", since, 1, 1)} {
		if seen[other] {
			t.Fatalf("id %s twice", other)
		}
		seen[other] = true
	}
	if store.RuleReminderID("biz", "party", since, 1, 0) != id || len(id) != 36 {
		t.Fatalf("id %s", id)
	}
}
