"""Block Kit limits the fake Slack enforces, returning Slack-style `[ERROR] ...` messages.

Limits come from slack-platform.md §4 (modal view table and element docs); the 50 blocks per
message from docs.slack.dev/reference/block-kit/blocks ("up to 50 blocks in each message, and 100
blocks in modals or Home tabs"). An empty list means the view or block list is acceptable.
"""

from __future__ import annotations

from typing import Any

TEXT_OBJECT_TYPES = frozenset({"plain_text", "mrkdwn"})
INPUT_ELEMENT_TYPES = frozenset(
    {
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
        "checkboxes",
        "radio_buttons",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "file_input",
    }
)
BLOCK_TYPES = frozenset(
    {"section", "divider", "image", "actions", "context", "input", "header", "rich_text"}
    | {"markdown", "file", "video"}
)
VIEW_TEXT_MAX = 24
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_BLOCKS = 50
MARKDOWN_BLOCK_TEXT_MAX = 12_000


def view_problems(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["[ERROR] must be an object [json-pointer:/view]"]
    problems: list[str] = []
    if view.get("type") != "modal":
        problems.append(
            "[ERROR] must be one of the allowed values: modal [json-pointer:/view/type]"
        )
    problems += _text_object(
        view.get("title"), "/view/title", VIEW_TEXT_MAX, required=True, plain_only=True
    )
    problems += _text_object(view.get("submit"), "/view/submit", VIEW_TEXT_MAX, plain_only=True)
    problems += _text_object(view.get("close"), "/view/close", VIEW_TEXT_MAX, plain_only=True)
    problems += _view_strings(view)
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        return [*problems, "[ERROR] missing required field: blocks [json-pointer:/view/blocks]"]
    problems += _view_blocks(blocks)
    has_input = any(isinstance(block, dict) and block.get("type") == "input" for block in blocks)
    if has_input and view.get("submit") is None:
        problems.append(
            "[ERROR] submit is required when an input block is present [json-pointer:/view]"
        )
    return problems


def home_view_problems(view: Any) -> list[str]:
    """A Home tab view for views.publish: same strings and block limits, type `home`."""
    if not isinstance(view, dict):
        return ["[ERROR] must be an object [json-pointer:/view]"]
    problems: list[str] = []
    if view.get("type") != "home":
        problems.append("[ERROR] must be one of the allowed values: home [json-pointer:/view/type]")
    problems += _view_strings(view)
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        return [*problems, "[ERROR] missing required field: blocks [json-pointer:/view/blocks]"]
    return problems + _view_blocks(blocks)


def message_blocks_problems(blocks: list[Any]) -> list[str]:
    """The `blocks` of a message (chat.postMessage, chat.postEphemeral, response_url)."""
    return _counted_blocks_problems(blocks, MAX_MESSAGE_BLOCKS, "/blocks")


def _view_strings(view: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for name, limit in (("private_metadata", 3000), ("callback_id", 255), ("external_id", 255)):
        problems += _string(view.get(name), f"/view/{name}", limit)
    return problems


def _view_blocks(blocks: list[Any]) -> list[str]:
    return _counted_blocks_problems(blocks, MAX_VIEW_BLOCKS, "/view/blocks")


def _counted_blocks_problems(blocks: list[Any], limit: int, pointer: str) -> list[str]:
    too_many = [f"[ERROR] no more than {limit} items allowed [json-pointer:{pointer}]"]
    return (too_many if len(blocks) > limit else []) + blocks_problems(blocks, pointer)


def blocks_problems(blocks: list[Any], pointer: str) -> list[str]:
    problems: list[str] = []
    seen_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"{pointer}/{index}"
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            problems.append(
                f"[ERROR] unsupported or missing block type [json-pointer:{where}/type]"
            )
            continue
        block_id = block.get("block_id")
        problems += _string(block_id, f"{where}/block_id", 255)
        if isinstance(block_id, str):
            if block_id in seen_ids:
                problems.append(f"[ERROR] duplicate block_id [json-pointer:{where}/block_id]")
            seen_ids.add(block_id)
        problems += _BLOCK_CHECKS.get(block["type"], _no_checks)(block, where)
    return problems


def _no_checks(block: dict[str, Any], where: str) -> list[str]:
    return []


def _input(block: dict[str, Any], where: str) -> list[str]:
    problems = _text_object(block.get("label"), f"{where}/label", 2000, True, plain_only=True)
    problems += _text_object(block.get("hint"), f"{where}/hint", 2000, plain_only=True)
    element = block.get("element")
    if not isinstance(element, dict) or element.get("type") not in INPUT_ELEMENT_TYPES:
        return [
            *problems,
            f"[ERROR] missing or unsupported input element [json-pointer:{where}/element]",
        ]
    return problems + _element(element, f"{where}/element")


def _element(element: dict[str, Any], where: str) -> list[str]:
    problems = _string(element.get("action_id"), f"{where}/action_id", 255)
    problems += _text_object(
        element.get("placeholder"), f"{where}/placeholder", 150, plain_only=True
    )
    if element.get("type") in ("radio_buttons", "checkboxes"):
        return problems + _options(element, where)
    if element.get("type") != "plain_text_input":
        return problems
    max_length, min_length = element.get("max_length"), element.get("min_length")
    if max_length is not None and not _int_between(max_length, 1, 3000):
        problems.append(f"[ERROR] must be between 1 and 3000 [json-pointer:{where}/max_length]")
    if min_length is not None and not _int_between(min_length, 0, 3000):
        problems.append(f"[ERROR] must be between 0 and 3000 [json-pointer:{where}/min_length]")
    return problems + _string(element.get("initial_value"), f"{where}/initial_value", 3000)


def _options(element: dict[str, Any], where: str) -> list[str]:
    """Option objects (docs.slack.dev block-kit composition objects): 1-10 of them for radio
    buttons and checkboxes, `text` and `description` at most 75 characters, `value` 150; an
    initial option must be one of the options."""
    options = element.get("options")
    if not isinstance(options, list) or not 1 <= len(options) <= 10:
        return [f"[ERROR] must have between 1 and 10 items [json-pointer:{where}/options]"]
    problems: list[str] = []
    for index, option in enumerate(options):
        at = f"{where}/options/{index}"
        if not isinstance(option, dict):
            problems.append(f"[ERROR] must be an option object [json-pointer:{at}]")
            continue
        problems += _text_object(option.get("text"), f"{at}/text", 75, True)
        problems += _text_object(option.get("description"), f"{at}/description", 75)
        problems += _string(option.get("value"), f"{at}/value", 150)
    initial = element.get("initial_options") or (
        [element["initial_option"]] if element.get("initial_option") else []
    )
    for option in initial if isinstance(initial, list) else [initial]:
        if option not in options:
            problems.append(f"[ERROR] initial option must match an option [json-pointer:{where}]")
    return problems


def _section(block: dict[str, Any], where: str) -> list[str]:
    problems = _text_object(block.get("text"), f"{where}/text", 3000)
    fields = block.get("fields")
    if block.get("text") is None and not fields:
        problems.append(f"[ERROR] must provide either text or fields [json-pointer:{where}]")
    if isinstance(fields, list):
        if len(fields) > 10:
            problems.append(f"[ERROR] no more than 10 items allowed [json-pointer:{where}/fields]")
        for index, item in enumerate(fields):
            problems += _text_object(item, f"{where}/fields/{index}", 2000, True)
    return problems


def _header(block: dict[str, Any], where: str) -> list[str]:
    return _text_object(block.get("text"), f"{where}/text", 150, True, plain_only=True)


def _markdown(block: dict[str, Any], where: str) -> list[str]:
    """A markdown block's `text` is a plain string (not a text object), up to 12,000 chars."""
    text = block.get("text")
    if not isinstance(text, str) or not text:
        return [f"[ERROR] missing required field: text [json-pointer:{where}/text]"]
    return _string(text, f"{where}/text", MARKDOWN_BLOCK_TEXT_MAX)


def _elements_limit(limit: int) -> Any:
    def check(block: dict[str, Any], where: str) -> list[str]:
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= limit:
            return [
                f"[ERROR] must have between 1 and {limit} items [json-pointer:{where}/elements]"
            ]
        return [
            problem
            for index, item in enumerate(elements)
            if isinstance(item, dict) and item.get("type") == "button"
            for problem in _button(item, f"{where}/elements/{index}")
        ]

    return check


def _button(button: dict[str, Any], where: str) -> list[str]:
    problems = _text_object(button.get("text"), f"{where}/text", 75, True, plain_only=True)
    problems += _string(button.get("action_id"), f"{where}/action_id", 255)
    return problems + _string(button.get("value"), f"{where}/value", 2000)


_BLOCK_CHECKS = {
    "input": _input,
    "section": _section,
    "header": _header,
    "markdown": _markdown,
    "actions": _elements_limit(25),
    "context": _elements_limit(10),
}


def _text_object(
    value: Any, where: str, limit: int, required: bool = False, *, plain_only: bool = False
) -> list[str]:
    if value is None:
        return [f"[ERROR] missing required field [json-pointer:{where}]"] if required else []
    allowed = {"plain_text"} if plain_only else TEXT_OBJECT_TYPES
    if not isinstance(value, dict) or value.get("type") not in allowed:
        return [
            f"[ERROR] must be a {' or '.join(sorted(allowed))} text object [json-pointer:{where}]"
        ]
    text = value.get("text")
    if not isinstance(text, str) or not text:
        return [f"[ERROR] must be more than 0 characters [json-pointer:{where}/text]"]
    if len(text) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{where}/text]"]
    return []


def _string(value: Any, where: str, limit: int) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        return [f"[ERROR] must be a string [json-pointer:{where}]"]
    if len(value) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{where}]"]
    return []


def _int_between(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
