"""pystray's xorg backend, made clickable, with a real double-click.

pystray 0.19.5 creates the icon window with only ExposureMask | StructureNotifyMask, so the X server
never delivers a ButtonPress to it and clicks are lost. The subclass adds ButtonPressMask. It also
docks once: pystray sends the dock request again on every icon change, and trayer answers a second
request for an embedded window by shrinking it to one pixel wide (unclickable, invisible).

And it keeps pystray's X connection to one thread. pystray runs `icon.icon = ...`, `title`, `visible`
and `stop()` from other threads by sending a message on its own connection and waiting for the loop;
python-xlib's threaded send path can return from such a flush without sending, and without waking
the loop thread waiting for a reply, so the icon hangs or ignores stop() now and then (seen here about
one stop in six). `call_in_loop(fn)` queues `fn` and wakes the loop through a second connection of
its own; the loop thread runs it, so only that thread ever uses pystray's connection. The
backend has no menu and no double-click: we tell a double-click from two clicks by the X server's
own event timestamps, so the left double-click opens the log viewer like on Windows, and a single
left click does nothing. A right click, which would open the menu elsewhere, opens the viewer too:
its Processes tab carries the menu's commands on this backend.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

DOUBLE_CLICK_MS = 500  # Windows' default double-click time; GTK uses 400
_WRAP = 1 << 32        # X timestamps are 32-bit milliseconds and wrap after about 49 days
LEFT, RIGHT = 1, 3


class DoubleClick:
    """Feed it press timestamps (ms); it answers True on the press that completes a double-click."""

    def __init__(self, interval_ms: int = DOUBLE_CLICK_MS) -> None:
        self.interval = interval_ms
        self.first: int | None = None

    def press(self, t_ms: int) -> bool:
        if self.first is not None and (t_ms - self.first) % _WRAP <= self.interval:
            self.first = None  # a third quick press starts a new pair
            return True
        self.first = t_ms
        return False


def icon_class(xorg_icon: type, on_double_click: Callable[[], None], on_context: Callable[[], None]) -> type:
    """A subclass of pystray's xorg `Icon` that receives clicks; the callbacks must not block."""
    import Xlib.display
    import Xlib.protocol.event
    import Xlib.X

    class ClickableIcon(xorg_icon):  # type: ignore[misc, valid-type]  # pystray has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._calls: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
            self._call_atom = self._display.intern_atom("_SELLINTEGRO_CALL_IN_LOOP")
            self._waker: Any = None
            self._waker_window: Any = None
            self._waker_lock = threading.Lock()
            self._waker_closed = False
            pystray_client_message = self._message_handlers[Xlib.X.ClientMessage]

            def on_client_message(event: Any) -> None:
                if event.client_type != self._call_atom:
                    pystray_client_message(event)
                    return
                while True:
                    try:
                        fn = self._calls.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        fn()
                    except Exception:  # noqa: BLE001 - one failed update must not end the icon's loop
                        self._log.error("a call in the tray loop failed", exc_info=True)
            self._message_handlers[Xlib.X.ClientMessage] = on_client_message

        def call_in_loop(self, fn: Callable[[], None]) -> None:
            """Run `fn` on the icon's loop thread soon (returns at once; calls run in order)."""
            self._calls.put(fn)
            with self._waker_lock:
                if self._waker_closed:
                    return
                if self._waker is None:
                    self._waker = Xlib.display.Display(self._display.get_display_name())
                    # A wake-up that races the icon's end hits a destroyed window: nothing to report.
                    self._waker.set_error_handler(lambda *_: None)
                    self._waker_window = self._waker.create_resource_object("window", self._window.id)
                event = Xlib.protocol.event.ClientMessage(window=self._waker_window, client_type=self._call_atom,
                                                          data=(32, [0, 0, 0, 0, 0]))
                self._waker.send_event(self._waker_window, event, event_mask=Xlib.X.NoEventMask)
                self._waker.flush()

        def close_waker(self) -> None:
            with self._waker_lock:
                self._waker_closed = True
                if self._waker is not None:
                    self._waker.close()
                    self._waker = None

        def __del__(self) -> None:
            # pystray's __del__ closes its X connection, which raises when the X server went first (a
            # session that ended, a test's Xvfb): nothing is left to release then.
            try:
                super().__del__()
            except Exception:  # noqa: BLE001 - Xlib raises several kinds for a connection that is gone
                pass

        def _create_window(self) -> Any:
            window = super()._create_window()
            window.change_attributes(
                event_mask=Xlib.X.ExposureMask | Xlib.X.StructureNotifyMask | Xlib.X.ButtonPressMask)
            self._double = DoubleClick()
            return window

        def _assert_docked(self) -> None:
            # Dock only when not docked (pystray clears _systray_manager when the tray host goes away
            # or the icon is hidden, so a new host still gets a dock request).
            if not self._systray_manager:
                self._dock_window()
            assert self._systray_manager

        def _on_button_press(self, event: Any) -> None:
            if event.detail == LEFT and self._double.press(int(event.time)):
                on_double_click()
            elif event.detail == RIGHT:
                on_context()

    return ClickableIcon


def tray_host_missing(display_name: str) -> str | None:
    """Why no icon can dock on this display (no XEmbed tray host owns the selection), or None."""
    import Xlib.display
    import Xlib.X

    display = Xlib.display.Display(display_name or None)
    try:
        selection = f"_NET_SYSTEM_TRAY_S{display.get_default_screen()}"
        owner = display.get_selection_owner(display.intern_atom(selection))
        if owner == Xlib.X.NONE:
            return selection
        return None
    finally:
        display.close()
