"""The tray icon image: the glyph from assets/ on a tile whose colour is the endpoint's health.

Colour says the state at a glance; a badge shape says it again for people who do not tell red from
green: none when all runs, three dots while something waits to restart, "!" when something is FATAL
or hung, and a dimmed glyph when no supervisor answers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from .health import Health

GLYPH = Path(__file__).resolve().parents[2] / "assets" / "tray-glyph.png"

COLOURS: dict[Health, tuple[int, int, int]] = {
    Health.OK: (30, 150, 70),             # green
    Health.BACKOFF: (230, 150, 0),        # amber
    Health.FATAL: (210, 35, 35),          # red
    Health.DISCONNECTED: (120, 120, 120),  # grey
}
WHITE = (255, 255, 255, 255)


@lru_cache(maxsize=1)
def _glyph() -> Image.Image:
    """The artwork; without it (a build that ships no assets), a plain white ring stands in."""
    try:
        with Image.open(GLYPH) as img:
            return img.convert("RGBA")
    except OSError:
        ring = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
        ImageDraw.Draw(ring).ellipse((48, 48, 208, 208), outline=WHITE, width=36)
        return ring


@lru_cache(maxsize=16)
def draw(state: Health, size: int = 64) -> Image.Image:
    """The icon for `state`, `size` pixels square (RGBA)."""
    scale = 4  # draw large, then shrink: smooth edges at tray sizes
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=(*COLOURS[state], 255))
    glyph = _glyph().resize((big, big), Image.Resampling.LANCZOS)
    if state is Health.DISCONNECTED:
        glyph.putalpha(glyph.getchannel("A").point(lambda a: a * 6 // 10))
    img.alpha_composite(glyph)
    r = big * 0.22  # badge radius, bottom right
    cx, cy = big - r - big * 0.03, big - r - big * 0.03
    if state in (Health.BACKOFF, Health.FATAL):
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE, outline=(*COLOURS[state], 255), width=big // 40)
        ink = (*COLOURS[state], 255)
        if state is Health.FATAL:
            w = r * 0.28
            d.rectangle((cx - w / 2, cy - r * 0.62, cx + w / 2, cy + r * 0.15), fill=ink)
            d.ellipse((cx - w / 2, cy + r * 0.33, cx + w / 2, cy + r * 0.33 + w), fill=ink)
        else:
            dot = r * 0.2
            for dx in (-r * 0.5, 0.0, r * 0.5):
                d.ellipse((cx + dx - dot, cy - dot, cx + dx + dot, cy + dot), fill=ink)
    return img.resize((size, size), Image.Resampling.LANCZOS)
