package load

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http/httputil"
	"strconv"
	"time"
)

// A device's sync requests go over one keep-alive HTTP/1.1 connection of
// its own, written and read by hand: net/http's client hands every request
// to two goroutines of the connection (one writes, one reads) and back,
// and on a machine the generator shares with the server it measures those
// handoffs cost more than the request (a third of the generator's CPU went
// to the Go scheduler). Here the device's goroutine writes the request and
// reads the reply itself. Only plain http: an https URL uses net/http.

// rawConn is a device's connection.
type rawConn struct {
	c    net.Conn
	br   *bufio.Reader
	wbuf []byte
	stop func() bool // stops cancelling the connection with the context
}

func (rc *rawConn) close() {
	rc.stop()
	rc.c.Close()
}

// requestTimeout bounds one request, as the http.Client's Timeout did.
const requestTimeout = 60 * time.Second

// doRaw sends one request on the device's connection (dialling it first if
// needed) and reads the reply's body into d.buf. A reused connection that
// fails before any reply (the server closed it while idle) is dialled again
// once; the request is repeated, which is safe: a push that was applied
// is acknowledged again, a pull only reads.
func (lc *loadClient) doRaw(ctx context.Context, d *device, method, path string, body []byte) (int, error) {
	for attempt := 0; ; attempt++ {
		fresh := d.conn == nil
		if fresh {
			c, err := (&net.Dialer{}).DialContext(ctx, "tcp", lc.host)
			if err != nil {
				return 0, err
			}
			// Cancelling the context ends a request in flight at once.
			stop := context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Unix(1, 0)) })
			d.conn = &rawConn{c: c, br: bufio.NewReaderSize(c, 32<<10), stop: stop}
		}
		status, replied, err := lc.exchange(ctx, d, method, path, body)
		if err == nil {
			return status, nil
		}
		d.conn.close()
		d.conn = nil
		if fresh || replied || attempt > 0 || ctx.Err() != nil {
			return 0, err
		}
	}
}

// exchange writes the request and reads the reply on d.conn; replied says
// whether any of the reply had arrived when it failed.
func (lc *loadClient) exchange(ctx context.Context, d *device, method, path string, body []byte) (status int, replied bool, err error) {
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	rc := d.conn
	deadline := time.Now().Add(requestTimeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	if err := rc.c.SetDeadline(deadline); err != nil {
		return 0, false, err
	}
	w := append(rc.wbuf[:0], method...)
	w = append(w, ' ')
	w = append(w, path...)
	w = append(w, " HTTP/1.1\r\nHost: "...)
	w = append(w, lc.host...)
	w = append(w, "\r\nAuthorization: "...)
	w = append(w, d.auth...)
	w = append(w, "\r\nUser-Agent: naukar-load\r\n"...)
	if body != nil {
		w = append(w, "Content-Type: application/json\r\nContent-Length: "...)
		w = strconv.AppendInt(w, int64(len(body)), 10)
		w = append(w, "\r\n"...)
	}
	w = append(w, "\r\n"...)
	w = append(w, body...)
	rc.wbuf = w
	if _, err := rc.c.Write(w); err != nil {
		return 0, false, err
	}
	line, err := rc.br.ReadSlice('\n')
	if err != nil {
		return 0, len(line) > 0, err
	}
	// "HTTP/1.1 200 OK"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, true, fmt.Errorf("%s %s: not an HTTP reply: %q", method, path, line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, true, fmt.Errorf("%s %s: not an HTTP reply: %q", method, path, line)
	}
	length, chunked, closing := int64(-1), false, false
	for {
		line, err := rc.br.ReadSlice('\n')
		if err != nil {
			return 0, true, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 {
				return 0, true, fmt.Errorf("%s %s: bad Content-Length %q", method, path, value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	d.buf.Reset()
	switch {
	case chunked:
		if _, err = d.buf.ReadFrom(httputil.NewChunkedReader(rc.br)); err == nil {
			err = skipTrailer(rc.br)
		}
	case length >= 0:
		d.buf.Grow(int(length))
		var n int64
		if n, err = d.buf.ReadFrom(io.LimitReader(rc.br, length)); err == nil && n < length {
			err = io.ErrUnexpectedEOF
		}
	default:
		// No length: the body runs to the end of the connection.
		_, err = d.buf.ReadFrom(rc.br)
		closing = true
	}
	if err != nil {
		return 0, true, err
	}
	if closing {
		d.conn.close()
		d.conn = nil
	}
	return status, true, nil
}

// skipTrailer reads the trailer of a chunked body, up to its empty line.
func skipTrailer(br *bufio.Reader) error {
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return nil
		}
	}
}
