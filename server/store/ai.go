package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/server/ai"
)

// RecordAIUsage appends one request to the AI usage log (ai.Store).
func (db *DB) RecordAIUsage(ctx context.Context, u ai.Usage) error {
	q := 0
	if u.Question {
		q = 1
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO ai_usage
		(business_id, device_id, at, model, input_tokens, output_tokens, outcome, question, duration_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		u.BusinessID, u.DeviceID, ms(u.At), u.Model, u.InputTokens, u.OutputTokens, u.Outcome, q, u.Duration.Milliseconds())
	if err != nil {
		return fmt.Errorf("record ai usage: %w", err)
	}
	return nil
}

// AIUsage lists a business's AI requests from since on, oldest first.
func (db *DB) AIUsage(ctx context.Context, businessID string, since time.Time) ([]ai.Usage, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT business_id, device_id, at, model, input_tokens, output_tokens,
		outcome, question, duration_ms FROM ai_usage WHERE business_id = $1 AND at >= $2 ORDER BY at, id`, businessID, ms(since))
	if err != nil {
		return nil, fmt.Errorf("ai usage: %w", err)
	}
	defer rows.Close()
	var out []ai.Usage
	for rows.Next() {
		var u ai.Usage
		var at, dur int64
		var q int
		if err := rows.Scan(&u.BusinessID, &u.DeviceID, &at, &u.Model, &u.InputTokens, &u.OutputTokens, &u.Outcome, &q, &dur); err != nil {
			return nil, fmt.Errorf("ai usage: %w", err)
		}
		u.At, u.Question, u.Duration = fromMS(at), q == 1, time.Duration(dur)*time.Millisecond
		out = append(out, u)
	}
	return out, rows.Err()
}
