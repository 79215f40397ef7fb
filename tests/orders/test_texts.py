"""The plugin's texts: every one in Polish and English, with the same fields."""

from __future__ import annotations

import string

from sellintegro_orders import texts


def test_every_text_has_polish_and_english_with_the_same_fields() -> None:
    for text_id in texts.ids():
        both = texts._TEXTS[text_id]
        assert set(both) == {"pl", "en"}, text_id
        fields = [{f for _, f, _, _ in string.Formatter().parse(both[lang]) if f} for lang in ("pl", "en")]
        assert fields[0] == fields[1], text_id
