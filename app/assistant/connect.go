package assistant

import (
	"context"
	"net/http"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
)

// Connect returns the model as reached through the sync server the books
// are signed in to, with this device's token; ErrNotSignedIn before sign-in.
func Connect(st *store.Store) (*ServerModel, error) {
	server, _ := st.Meta(client.MetaServer)
	dev, _ := st.Meta(client.MetaDeviceID)
	tok, err := syncapp.TokenStore{BooksPath: st.Path()}.Load()
	if err != nil || server == "" || dev == "" || tok == "" {
		return nil, ErrNotSignedIn
	}
	return NewServerModel(server, tok, &http.Client{Timeout: 5 * time.Minute}), nil
}

// ForBooks is an assistant over st through its sync server.
func ForBooks(st *store.Store) (*Assistant, error) {
	m, err := Connect(st)
	if err != nil {
		return nil, err
	}
	return &Assistant{Store: st, Reports: reports.New(st), Model: m}, nil
}

// DirectModel calls the Anthropic API itself with a key (the evaluation
// runs this way, from a developer's machine; the app never does).
type DirectModel struct {
	client anthropic.Client
	model  string
}

// NewDirectModel calls model at baseURL ("" for Anthropic's) with key.
func NewDirectModel(key, model, baseURL string) *DirectModel {
	opts := []option.RequestOption{option.WithoutEnvironmentDefaults(), option.WithAPIKey(key), option.WithMaxRetries(2),
		option.WithoutOpenTelemetry()}
	if baseURL != "" {
		opts = append(opts, option.WithBaseURL(baseURL))
	}
	return &DirectModel{client: anthropic.NewClient(opts...), model: model}
}

// Stream implements Model.
func (m *DirectModel) Stream(ctx context.Context, p anthropic.MessageNewParams, onText func(string)) (anthropic.Message, error) {
	p.Model = anthropic.Model(m.model)
	s := m.client.Messages.NewStreaming(ctx, p)
	defer s.Close()
	var msg anthropic.Message
	for s.Next() {
		ev := s.Current()
		if err := msg.Accumulate(ev); err != nil {
			return msg, err
		}
		if ev.Type == "content_block_delta" && ev.Delta.Type == "text_delta" && onText != nil {
			onText(ev.Delta.Text)
		}
	}
	if err := s.Err(); err != nil {
		return msg, explain(ctx, err)
	}
	return msg, nil
}
