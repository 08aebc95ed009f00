"""Code lists of the official statistics and of this app (copied from the domain contract, pinned by tests).

`CODES[list_name]` maps code (string, as in codes.json: two-digit lists zero-padded) to German label.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

_PATH = Path(__file__).with_name("codes.json")


@lru_cache(maxsize=1)
def _load() -> dict:
    with _PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


CODES: dict[str, dict[str, str]] = {k: v for k, v in _load().items() if not k.startswith("_") and k != "segment"}
SEGMENT_CODES: dict[str, list[str]] = _load()["segment"]

# segment name -> Art-der-Hilfe codes, and the reverse
SEGMENTS = ("EB", "ambulant", "teilstationär", "stationär", "§ 35a")
SEGMENT_OF_CODE: dict[str, str] = {code: seg for seg, codes in SEGMENT_CODES.items() for code in codes}
EB_CODES = tuple(SEGMENT_CODES["EB"])
HZE_CODES = tuple(c for c in CODES["art_der_hilfe"] if c not in EB_CODES)  # 04-16: "HzE ohne EB"
FAMILY_HELP_CODES = ("07", "14", "15", "16")

# ASCII keys for segments where ids are needed (indicator ids, URLs)
SEGMENT_KEYS = {"EB": "eb", "ambulant": "ambulant", "teilstationär": "teilstationaer", "stationär": "stationaer", "§ 35a": "35a"}


def label(list_name: str, code: str | None) -> str:
    if code is None:
        return ""
    return CODES[list_name].get(str(code), str(code))


def is_two_digit(list_name: str) -> bool:
    return all(len(c) == 2 for c in CODES[list_name])


def normalise_code(list_name: str, value) -> str | None:
    """Return the code for a cell value, or None when it matches no code.

    Whole numbers however written (1, 1.0, "1", " 01 ") become the code ("01" for two-digit lists);
    a label that matches exactly one code's label (case-insensitive) is accepted too.
    """
    if value is None:
        return None
    codes = CODES[list_name]
    text = str(value).strip()
    if text == "":
        return None
    number = None
    try:
        f = float(text.replace(",", "."))
        if f == int(f):
            number = int(f)
    except ValueError:
        pass
    if number is not None:
        candidates = [str(number), f"{number:02d}"]
        for c in candidates:
            if c in codes:
                return c
        return None
    low = text.casefold()
    matches = [c for c, lab in codes.items() if lab.casefold() == low]
    if len(matches) == 1:
        return matches[0]
    # a part of the official label ("Heimerziehung") that occurs in exactly one label
    matches = [c for c, lab in codes.items() if low in lab.casefold()]
    if len(matches) == 1:
        return matches[0]
    # a paragraph ("§ 31 SPFH") that occurs in exactly one label; "§ 33 ..." is ambiguous (09, 10)
    para = re.match(r"§\s*(\d+[a-z]?)\b", text)
    if para:
        key = f"§ {para.group(1)} "
        matches = [c for c, lab in codes.items() if lab.startswith(key)]
        if len(matches) == 1:
            return matches[0]
    return None
