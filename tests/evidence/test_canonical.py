"""Tests of canonical JSON for evidence records, on the examples of RFC 8785."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.evidence.canonical import JsonValue, canonical_json
from app.evidence.errors import CanonicalJsonError

# RFC 8785 section 3.2.2: whitespace, literals, numbers and string escapes.
RFC_SAMPLE_INPUT = r"""{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"""
RFC_SAMPLE_OUTPUT = (
    r'{"literals":[null,true,false],'
    r'"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
    '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
)

# RFC 8785 section 3.2.3: keys sort by their UTF-16 code units, so the emoji
# (a surrogate pair starting 0xD83D) comes before U+FB33.
RFC_SORTING_INPUT = r"""{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}"""
RFC_SORTING_KEYS = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_rfc_sample_is_canonicalised_exactly() -> None:
    output = canonical_json(json.loads(RFC_SAMPLE_INPUT))

    assert output == RFC_SAMPLE_OUTPUT.encode("utf-8")


def test_rfc_sorting_example_orders_keys_by_utf16() -> None:
    record = json.loads(RFC_SORTING_INPUT)

    output = canonical_json(record)

    expected = (
        "{"
        + ",".join(
            f"{json.dumps(key, ensure_ascii=False)}:{json.dumps(record[key])}"
            for key in RFC_SORTING_KEYS
        )
        + "}"
    )
    assert output == expected.encode("utf-8")
    assert output.startswith(b'{"\\r":"Carriage Return","1":"One","\xc2\x80"')


def test_chinese_text_stays_utf8_and_keys_sort_by_utf16() -> None:
    record: JsonValue = {
        "印章编号": "公章-001",
        "seal": "合同专用章",
        "count": 3,
        "a": True,
        # U+20000 sorts before U+FF46 in UTF-16 (0xD840 < 0xFF46), after it by
        # code point.
        "\U00020000": "扩展B区汉字",
        "\uff46": "fullwidth f",
    }

    output = canonical_json(record)

    assert output == (
        '{"a":true,"count":3,"seal":"合同专用章","印章编号":"公章-001",'
        '"\U00020000":"扩展B区汉字","\uff46":"fullwidth f"}'
    ).encode("utf-8")


def test_integers_are_written_plainly_within_the_safe_range() -> None:
    values: JsonValue = [0, -0, 1, -1, 2**53 - 1, -(2**53 - 1), True, None]

    assert canonical_json(values) == (
        b"[0,0,1,-1,9007199254740991,-9007199254740991,true,null]"
    )


def test_nested_values_have_no_whitespace() -> None:
    record: JsonValue = {"b": [1, {"d": [], "c": {}}], "a": "x y"}

    assert canonical_json(record) == b'{"a":"x y","b":[1,{"c":{},"d":[]}]}'


@pytest.mark.parametrize(
    "value",
    [
        2**53,
        -(2**53),
        math.nan,
        math.inf,
        {1: "key is not a string"},
        b"bytes are not JSON",
        "lone surrogate \ud800",
        {"nested": {"bad": object()}},
    ],
    ids=[
        "int-above-range",
        "int-below-range",
        "nan",
        "infinity",
        "int-key",
        "bytes",
        "lone-surrogate",
        "object",
    ],
)
def test_values_outside_rfc8785_are_refused_in_both_languages(value: object) -> None:
    with pytest.raises(CanonicalJsonError) as caught:
        canonical_json(value)  # type: ignore[arg-type]

    assert caught.value.en.startswith("The evidence record cannot be written")
    assert "存证记录" in caught.value.zh


json_records = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=20,
)


@settings(database=None, deadline=None)
@given(json_records)
def test_canonical_form_round_trips_and_is_stable(record: JsonValue) -> None:
    output = canonical_json(record)

    assert json.loads(output) == record
    assert canonical_json(json.loads(output)) == output
