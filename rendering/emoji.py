"""Slack emoji to characters: `emoji_text` turns an emoji element or `:name:` into what Slack shows.

Standard names resolve through the `emoji` package's GitHub/Slack aliases (Slack spells some
with hyphens, e.g. `woman-facepalming`, `flag-us`); skin tones 2-6 add the Fitzpatrick modifier.
Custom workspace emoji have no character and stay `:name:`.
"""

from __future__ import annotations

import re

import emoji as emoji_package

_SKIN_TONE_MODIFIERS = {
    2: "\U0001f3fb",
    3: "\U0001f3fc",
    4: "\U0001f3fd",
    5: "\U0001f3fe",
    6: "\U0001f3ff",
}
_VARIATION_SELECTOR = "\ufe0f"
_SLACK_ONLY_NAMES = {"simple_smile": "🙂", "thumbsup_all": "👍"}
_HEX_SEQUENCE = re.compile(r"[0-9a-fA-F]{1,6}(?:-[0-9a-fA-F]{1,6})*")
_SKIN_TONE_SUFFIX = re.compile(r"::skin-tone-([2-6])$")
_REGIONAL_INDICATOR_A = 0x1F1E6


def emoji_text(name: str, *, unicode: str = "", skin_tone: int | None = None) -> str:
    """The character(s) for a Slack emoji; `:name:` when it is custom or unknown."""
    tone_in_name = _SKIN_TONE_SUFFIX.search(name)
    if tone_in_name:
        name = name[: tone_in_name.start()]
        skin_tone = skin_tone or int(tone_in_name.group(1))
    from_code_points = code_points_text(unicode)
    if from_code_points:
        has_tone = any(modifier in from_code_points for modifier in _SKIN_TONE_MODIFIERS.values())
        return from_code_points if has_tone else with_skin_tone(from_code_points, skin_tone)
    character = standard_emoji(name)
    if character is None:
        return f":{name}:"
    return with_skin_tone(character, skin_tone)


def code_points_text(unicode: str) -> str:
    """Characters from Slack's `unicode` field ("1f44b-1f3fd"); empty when it is not valid."""
    if not unicode or not _HEX_SEQUENCE.fullmatch(unicode):
        return ""
    code_points = [int(part, 16) for part in unicode.split("-")]
    if any(not _is_emoji_code_point(code_point) for code_point in code_points):
        return ""
    return "".join(chr(code_point) for code_point in code_points)


def standard_emoji(name: str) -> str | None:
    """The character for a standard emoji name, or None for a custom one."""
    if not name or ":" in name:
        return None
    if name in _SLACK_ONLY_NAMES:
        return _SLACK_ONLY_NAMES[name]
    if name.startswith("flag-") and len(name) == 7 and name[5:].isascii() and name[5:].isalpha():
        return "".join(
            chr(_REGIONAL_INDICATOR_A + ord(letter) - ord("a")) for letter in name[5:].lower()
        )
    for candidate in (name, name.replace("-", "_")):
        shortcode = f":{candidate}:"
        character = emoji_package.emojize(shortcode, language="alias")
        if character != shortcode:
            return character
    return None


def with_skin_tone(character: str, skin_tone: int | None) -> str:
    """`character` with the Fitzpatrick modifier for Slack's skin tone 2-6 after its base."""
    modifier = _SKIN_TONE_MODIFIERS.get(skin_tone or 0)
    if modifier is None or not character:
        return character
    rest = character[1:].removeprefix(_VARIATION_SELECTOR)
    return character[0] + modifier + rest


def _is_emoji_code_point(code_point: int) -> bool:
    if code_point > 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
        return False
    return code_point >= 0x20 and not 0x7F <= code_point <= 0x9F
