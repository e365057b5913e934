//go:build !wasm && !test_web_driver && !mobile && !android && !ios

package ui

import (
	"reflect"
	"unsafe"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// watchInput makes every mouse move, click and scroll on the window, and
// every key, count as activity for the idle lock (touch). Fyne hands a
// mouse event only to the one widget under the pointer that takes it, so
// no widget of the app sees them all; the app listens where the driver
// does instead, putting its own callbacks in front of Fyne's on the
// window's GLFW handle (each passes the event on to Fyne's). It must run
// on the main thread, once the window is shown. It returns false when w
// is not a GLFW window (Fyne's test driver) or Fyne's window changed shape
// (TestIdleLockCountsTheMouse, in a real window, would then fail).
func watchInput(w fyne.Window, touch func()) bool {
	v := reflect.ValueOf(w)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return false
	}
	f := v.Elem().FieldByName("viewport")
	if !f.IsValid() || f.Type() != reflect.TypeOf((*glfw.Window)(nil)) {
		return false
	}
	gw := *(**glfw.Window)(unsafe.Pointer(f.UnsafeAddr()))
	if gw == nil {
		return false
	}
	var (
		pos    glfw.CursorPosCallback
		button glfw.MouseButtonCallback
		scroll glfw.ScrollCallback
		key    glfw.KeyCallback
		char   glfw.CharCallback
	)
	pos = gw.SetCursorPosCallback(func(g *glfw.Window, x, y float64) {
		touch()
		if pos != nil {
			pos(g, x, y)
		}
	})
	button = gw.SetMouseButtonCallback(func(g *glfw.Window, b glfw.MouseButton, a glfw.Action, m glfw.ModifierKey) {
		touch()
		if button != nil {
			button(g, b, a, m)
		}
	})
	scroll = gw.SetScrollCallback(func(g *glfw.Window, x, y float64) {
		touch()
		if scroll != nil {
			scroll(g, x, y)
		}
	})
	key = gw.SetKeyCallback(func(g *glfw.Window, k glfw.Key, sc int, a glfw.Action, m glfw.ModifierKey) {
		touch()
		if key != nil {
			key(g, k, sc, a, m)
		}
	})
	char = gw.SetCharCallback(func(g *glfw.Window, r rune) {
		touch()
		if char != nil {
			char(g, r)
		}
	})
	return true
}
