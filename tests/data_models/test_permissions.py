"""Every action used in the code is documented, and the rules hold for each role."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from data_models.permissions import ACTIONS, Principal, can

ROOT = Path(__file__).resolve().parents[2]


def test_every_action_used_in_pages_and_components_is_documented():
    used = set()
    for path in list((ROOT / "pages").glob("*.py")) + list((ROOT / "components").glob("*.py")):
        used |= set(re.findall(r'(?:require|allowed\([^,]+,|can\([^,]+,)\s*\(?"([a-z_]+)"', path.read_text()))
    assert used, "no actions found: the pattern is out of date"
    assert used <= set(ACTIONS), used - set(ACTIONS)
    assert all(len(text) > 20 for text in ACTIONS.values())


def test_undocumented_action_is_a_programming_error():
    with pytest.raises(ValueError):
        can(Principal("admin", "a", 1), "do_anything", 1)


def test_roles():
    admin, member = Principal("admin", "a", 1, demo_tenant_id=9), Principal("member", "m", 1, demo_tenant_id=9)
    coord, guest = Principal("coordinator", "k", None, 9), Principal("guest", "", None, 9)
    assert can(admin, "upload", 1) and not can(admin, "upload", 2)  # own tenant only
    assert can(member, "view_dashboard", 1) and not can(member, "upload", 1)
    assert not can(member, "view_dashboard", 2)
    assert can(coord, "compare") and not can(coord, "view_dashboard", 1) and not can(coord, "view_exact", 1)
    assert can(guest, "view_dashboard", 9) and not can(guest, "upload", 9) and not can(guest, "view_dashboard", 1)
    assert not can(admin, "compare")
