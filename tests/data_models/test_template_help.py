"""The template's Hinweise sheet explains every indicator (data_models/template.py + indicators/help.py)."""
from __future__ import annotations

import io

import openpyxl

from data_models.indicators.catalogue import CATALOGUE
from data_models.indicators.help import GENERAL_READING, indicator_help
from data_models.template import template_bytes


def test_hinweise_explain_every_indicator():
    ws = openpyxl.load_workbook(io.BytesIO(template_bytes()))["Hinweise"]
    cells = [c for c in ws["A"] if c.value is not None]
    lines = [str(c.value) for c in cells]
    assert "Kennzahlen: was sie zählen und wie sie zu lesen sind" in lines and GENERAL_READING in lines
    for ind in CATALOGUE.values():
        head = lines.index(f"{ind.label} (Kennung {ind.id})")
        h = indicator_help(ind.id)
        block = lines[head + 1:head + 8]
        assert [b.split(":")[0] for b in block] == ["• Zähler", "• Nenner", "• Einheit", "• Zählregel",
                                                   "• Was den Wert bewegt", "• Wie lesen", "• Datenquelle"]
        assert block[2] == f"• Einheit: {h.einheit}" and block[5] == f"• Wie lesen: {h.lesart}"
    assert sum(1 for x in lines if x.startswith("• Zähler: ")) == len(CATALOGUE)
    assert lines.index("Wächteramt") > lines.index("Ressourcen") > lines.index("Sozialstruktur")
    assert all(c.data_type == "s" for c in cells)  # text cells, never a formula
