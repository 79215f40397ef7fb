"""The icon's colour and badge say the state (no display)."""

from __future__ import annotations

from sellintegro.desktop import icons
from sellintegro.desktop.health import Health

from .conftest import dominant_state_colour


def test_each_state_has_its_own_colour_and_the_artwork_is_drawn_on_it() -> None:
    assert icons.GLYPH.exists(), "the icon artwork lives in assets/"
    for state in Health:
        img = icons.draw(state, 64)
        assert img.size == (64, 64)
        assert dominant_state_colour(img) == state.value
        rgb = img.convert("RGB")
        assert (255, 255, 255) in {c for _, c in rgb.getcolors(64 * 64)}  # the white glyph


def test_states_differ_in_shape_too_not_only_in_colour() -> None:
    """The badge tells red from green for people who cannot."""
    grey = {state: icons.draw(state, 64).convert("L") for state in Health}
    assert len({img.tobytes() for img in grey.values()}) == len(Health)


def test_icons_are_drawn_at_tray_sizes() -> None:
    for size in (16, 24, 32):
        assert dominant_state_colour(icons.draw(Health.FATAL, size)) == "fatal"
