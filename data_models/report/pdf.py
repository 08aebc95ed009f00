"""The report as PDF (reportlab platypus): A4, title page, table of contents, page numbers "Seite X von N",
German numbers, tables that wrap and repeat their header across pages, charts as images with a caption.

Font: DejaVu Sans from matplotlib's package data (full Unicode: „“, –, ×, §, →), embedded as a subset, so the text
can be copied and searched (pdftotext reads it).
"""
from __future__ import annotations

import html
import io
import re
from importlib.util import find_spec
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, Image, KeepTogether, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer)
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from data_models.report.model import Chart, Num, PageBreak as ModelPageBreak, Report, Section, Table, Text

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
ACCENT = colors.HexColor("#0072B2")
TEXT = colors.HexColor("#262730")
GREY = colors.HexColor("#666666")
ZEBRA = colors.HexColor("#F3F6F9")
HEADER_BG = colors.HexColor("#DCE6F0")
USER_BG = colors.HexColor("#FFF7E0")
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 2.0 * cm, 2.0 * cm, 2.0 * cm
WIDTH = A4[0] - 2 * MARGIN_X


rl_config.useA85 = 0  # binary streams: ASCII85-encoding the chart images cost seconds and grew the file by 25 %


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    base = Path(find_spec("matplotlib").origin).parent / "mpl-data" / "fonts" / "ttf"
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                       (FONT_ITALIC, "DejaVuSans-Oblique.ttf"), (FONT_BOLD_ITALIC, "DejaVuSans-BoldOblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(base / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)


def _styles() -> dict[str, ParagraphStyle]:
    s = {}
    s["body"] = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=TEXT, spaceAfter=6,
                               allowWidows=0, allowOrphans=0)  # no single line of a paragraph alone on a page
    s["small"] = ParagraphStyle("small", parent=s["body"], fontSize=7.5, leading=9.5, textColor=GREY, spaceAfter=8)
    s["caption"] = ParagraphStyle("caption", parent=s["small"], fontName=FONT_ITALIC, spaceBefore=2, spaceAfter=10)
    s["user"] = ParagraphStyle("user", parent=s["body"], spaceAfter=4)
    s["h1"] = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceAfter=10)
    s["h2"] = ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=11.5, leading=15, textColor=TEXT, spaceBefore=10,
                             spaceAfter=5, keepWithNext=1)
    s["table_title"] = ParagraphStyle("table_title", fontName=FONT_BOLD, fontSize=9.5, leading=12, textColor=TEXT,
                                      spaceBefore=8, spaceAfter=4)
    s["cell"] = ParagraphStyle("cell", fontName=FONT, fontSize=7.8, leading=9.6, textColor=TEXT)
    s["cell_r"] = ParagraphStyle("cell_r", parent=s["cell"], alignment=TA_RIGHT)
    s["head"] = ParagraphStyle("head", parent=s["cell"], fontName=FONT_BOLD)
    s["head_r"] = ParagraphStyle("head_r", parent=s["head"], alignment=TA_RIGHT)
    s["indicator"] = ParagraphStyle("indicator", parent=s["body"], fontSize=8.3, leading=11, spaceAfter=7)
    s["title"] = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=24, leading=30, textColor=ACCENT,
                                spaceAfter=14)
    s["subtitle"] = ParagraphStyle("subtitle", fontName=FONT, fontSize=15, leading=20, textColor=TEXT, spaceAfter=8)
    s["toc0"] = ParagraphStyle("toc0", fontName=FONT, fontSize=11, leading=18, textColor=TEXT, leftIndent=0)
    s["bullet"] = ParagraphStyle("bullet", parent=s["body"], leftIndent=12, bulletIndent=2, spaceAfter=3)
    return s


def markup(text: str) -> str:
    """Plain text (from the user or the catalogue) to reportlab's paragraph markup: escape <, >, &, then
    **bold** and *italic*; a single newline becomes a line break."""
    t = html.escape(text.replace("§ ", "§\u00a0"), quote=False)  # "§ 8a" never broken after the §
    t = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", t, flags=re.S)
    t = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", t, flags=re.S)
    return t.replace("\n", "<br/>")


def _paragraphs(text: str, style: ParagraphStyle, styles: dict) -> list:
    """Blank-line separated paragraphs; lines starting with "- " become bullets."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.split("\n")
        if all(l.lstrip().startswith("- ") for l in lines if l.strip()):
            for l in lines:
                if l.strip():
                    out.append(Paragraph(markup(l.strip()[2:]), styles["bullet"], bulletText="•"))
        else:
            out.append(Paragraph(markup(block.strip()), style))
    return out


class _Doc(BaseDocTemplate):
    def __init__(self, buf, report: Report, **kw):
        super().__init__(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, title=f"Bericht {report.year} – {report.tenant_name}",
                         author=report.tenant_name, subject="Bericht für den Jugendhilfeausschuss",
                         creator="Strategiekarte", lang="de-DE", **kw)
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, A4[1] - MARGIN_TOP - MARGIN_BOTTOM, id="main",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("title", [frame]), PageTemplate("normal", [frame])])
        self._n = 0

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            text = flowable.getPlainText()
            self._n += 1
            key = f"s{self._n}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=0, closed=False)
            self.notify("TOCEntry", (0, text, self.page, key))

    def handle_documentBegin(self):
        self._n = 0
        super().handle_documentBegin()


def _canvas_class(report: Report):
    header = f"{report.tenant_name} · Bericht {report.year}"
    marking = "Öffentliche Fassung: kleine Zahlen unterdrückt" if report.public else \
        "Interne Fassung mit exakten Zahlen – nicht zur Veröffentlichung"

    class NumberedCanvas(rl_canvas.Canvas):
        """Draws header and footer after the last page is known ("Seite X von N"); page 1 (title) has none."""

        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            n = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self._decorate(n)
                super().showPage()
            super().save()

        def _decorate(self, n: int) -> None:
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(GREY)
            top = A4[1] - MARGIN_TOP + 0.6 * cm
            self.drawString(MARGIN_X, top, header[:110])
            self.drawRightString(A4[0] - MARGIN_X, top, marking)
            self.setStrokeColor(colors.HexColor("#CCCCCC"))
            self.setLineWidth(0.5)
            self.line(MARGIN_X, top - 0.15 * cm, A4[0] - MARGIN_X, top - 0.15 * cm)
            self.drawRightString(A4[0] - MARGIN_X, MARGIN_BOTTOM - 1.0 * cm, f"Seite {self._pageNumber} von {n}")
            self.drawString(MARGIN_X, MARGIN_BOTTOM - 1.0 * cm, "Erstellt mit Strategiekarte am " + report.created)
            self.restoreState()

    return NumberedCanvas


def _words(text: str) -> list[str]:
    """The words a line may break between ("§ 42" is one word: markup() joins it with a no-break space)."""
    return [w for w in re.split(r"[ \t\n]+", text.replace("§ ", "§\u00a0")) if w]


def column_widths(t: Table, public: bool) -> list[float]:
    """Widths from the columns' weights, widened where a header word, a number or a word of a text cell would not
    fit (no word is broken); the room is taken from columns wider than they need."""
    size = t.font_size
    total = sum(c.width for c in t.columns)
    widths = [WIDTH * c.width / total for c in t.columns]
    mins = []
    for j, c in enumerate(t.columns):
        m = max((pdfmetrics.stringWidth(w, FONT_BOLD, size) for w in _words(c.header)), default=0)
        for row in t.rows:
            v = row[j]
            if isinstance(v, Num):
                m = max(m, pdfmetrics.stringWidth(v.text(public=public), FONT_BOLD, size))
            elif v is not None:
                m = max([m] + [min(110.0, pdfmetrics.stringWidth(w, FONT, size)) for w in _words(str(v))])
        mins.append(m + 7)
    short = sum(max(0.0, mi - w) for mi, w in zip(mins, widths))
    spare = [max(0.0, w - mi) for w, mi in zip(widths, mins)]
    if short > 0 and sum(spare) > 0:
        take = min(short, sum(spare))
        k = take / sum(spare)
        widths = [mi if w < mi else w - sp * k for w, mi, sp in zip(widths, mins, spare)]
    return widths


def _cell(value, width: float, style: ParagraphStyle, size: float, public: bool, bold: bool = False):
    """Plain text where it fits the column (fast), a wrapping Paragraph where it does not."""
    if isinstance(value, Num):
        return value.text(public=public)
    if value is None:
        return ""
    text = str(value)
    if "\n" not in text and pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT, size) <= width - 12:
        return text
    text = markup(text)
    return Paragraph(f"<b>{text}</b>" if bold else text, style)


def table_flowables(t: Table, styles, public: bool) -> list:
    size = t.font_size
    widths = column_widths(t, public)

    def pstyle(name: str) -> ParagraphStyle:
        return ParagraphStyle(f"{name}_{size}", parent=styles[name], fontSize=size, leading=size * 1.23)

    head_l, head_r, cell_l, cell_r = pstyle("head"), pstyle("head_r"), pstyle("cell"), pstyle("cell_r")
    data = [[Paragraph(markup(c.header), head_r if c.align == "RIGHT" else head_l) for c in t.columns]]
    for i, row in enumerate(t.rows):
        data.append([_cell(v, w, cell_r if c.align == "RIGHT" else cell_l, size, public, bold=i in t.bold_rows)
                     for v, c, w in zip(row, t.columns, widths)])
    tbl = RLTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [("FONTNAME", (0, 1), (-1, -1), FONT), ("FONTSIZE", (0, 1), (-1, -1), size),
             ("LEADING", (0, 1), (-1, -1), size * 1.23), ("TEXTCOLOR", (0, 1), (-1, -1), TEXT),
             ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#8899AA")),
             ("LINEBELOW", (0, -1), (-1, -1), 0.6, colors.HexColor("#8899AA")),
             ("TOPPADDING", (0, 0), (-1, -1), 2.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    for j, c in enumerate(t.columns):
        if c.align == "RIGHT":
            style.append(("ALIGN", (j, 1), (j, -1), "RIGHT"))
    for i in range(1, len(data)):
        if i % 2 == 0:
            style.append(("BACKGROUND", (0, i), (-1, i), ZEBRA))
    for i in t.bold_rows:
        style.append(("FONTNAME", (0, i + 1), (-1, i + 1), FONT_BOLD))
        style.append(("LINEABOVE", (0, i + 1), (-1, i + 1), 0.4, colors.HexColor("#8899AA")))
    tbl.setStyle(TableStyle(style))
    head = Paragraph(markup(t.title), styles["table_title"])
    _w, height = tbl.wrap(WIDTH, 100 * cm)
    out = [KeepTogether([head, tbl])] if height < 16 * cm else [CondPageBreak(5 * cm), head, tbl]
    note = t.note
    if t.has_suppressed and public and "unterdrückt" not in note:
        from data_models.privacy import FOOTNOTE

        note = (note + " " + FOOTNOTE).strip()
    if note:
        out.append(Paragraph(markup(note), styles["small"]))
    return out


def chart_flowables(ch: Chart, styles, images: bool = True) -> list:
    """The chart with its caption; without `images` a blank of the same size (layout passes)."""
    w, h = ch.width_cm * cm, ch.height_cm * cm
    if images:
        img = Image(io.BytesIO(ch.png), width=w, height=h)
        img.hAlign = "LEFT"
    else:
        img = Spacer(w, h)
    return [KeepTogether([img, Paragraph(markup(ch.caption), styles["caption"])])]


def section_flowables(sec: Section, styles, public: bool, images: bool = True) -> list:
    out = [Paragraph(markup(sec.title), styles["h1"])]
    for b in sec.blocks:
        if isinstance(b, Text):
            if b.style == "user":
                box = RLTable([[_paragraphs(b.text, styles["user"], styles)]], colWidths=[WIDTH])
                box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), USER_BG),
                                         ("LINEBEFORE", (0, 0), (0, -1), 2, colors.HexColor("#E69F00")),
                                         ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                         ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
                out += [box, Spacer(1, 8)]
            elif b.style == "h2":
                out.append(Paragraph(markup(b.text), styles["h2"]))
            elif b.style == "md":
                out += _paragraphs(b.text, styles["body"], styles)
            else:
                out += _paragraphs(b.text, styles.get(b.style, styles["body"]), styles)
        elif isinstance(b, Table):
            out += table_flowables(b, styles, public)
        elif isinstance(b, Chart):
            out += chart_flowables(b, styles, images)
        elif isinstance(b, ModelPageBreak):
            out.append(PageBreak())
    return out


def title_flowables(report: Report, styles) -> list:
    out = [Spacer(1, 3.5 * cm),
           Paragraph("Bericht für den Jugendhilfeausschuss", styles["title"]),
           Paragraph(markup(report.tenant_name), styles["subtitle"]),
           Paragraph(f"Berichtsjahr {report.year} · Vergleichsjahr {report.previous_year}", styles["subtitle"]),
           Spacer(1, 0.6 * cm),
           Paragraph(f"Erstellt am {report.created} mit Strategiekarte (HzE-Strategiekarte und Strategiekarte "
                     "Wächteramt).", styles["body"])]
    if report.public:
        out.append(Paragraph("<b>Öffentliche Fassung:</b> Fallzahlen von 1 oder 2 und Werte, aus denen sie sich "
                             "errechnen ließen, sind durch „.“ ersetzt (Datenschutz).", styles["body"]))
    else:
        out.append(Paragraph("<b>Interne Fassung:</b> exakte Zahlen, auch kleine Fallzahlen. Für eine "
                             "Veröffentlichung bitte die öffentliche Fassung erstellen.", styles["body"]))
    if report.is_demo:
        out.append(Paragraph("Fiktive Demo-Kommune: alle Zahlen sind erfunden.", styles["body"]))
    out.append(Spacer(1, 1.0 * cm))
    out.append(Paragraph("Verwendete Daten", styles["h2"]))
    if report.versions:
        public = report.public
        cols = ["Version", "Hochgeladen"] + ([] if public else ["Datei"]) + ["Daten (aktuell verwendet)"]
        widths = [1.7, 2.6] + ([] if public else [4.0]) + [8.7]
        data = [[Paragraph(c, styles["head"]) for c in cols]]
        for v in report.versions:
            row = [str(v.version), v.zeitpunkt] + ([] if public else [v.datei]) + [v.daten]
            data.append([Paragraph(markup(x), styles["cell"]) for x in row])
        total = sum(widths)
        tbl = RLTable(data, colWidths=[WIDTH * w / total for w in widths], repeatRows=1, hAlign="LEFT")
        tbl.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), HEADER_BG), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#CCCCCC"))]))
        out.append(tbl)
        out.append(Paragraph(markup(report.source), styles["small"]))
    else:
        out.append(Paragraph("Keine Angaben zu den Uploads.", styles["body"]))
    return out


def _story(report: Report, styles, toc, images: bool) -> list:
    story = [NextPageTemplate("normal")] + title_flowables(report, styles) + [PageBreak()]
    story += [Paragraph("Inhalt", ParagraphStyle("toc_title", parent=styles["h1"])), toc, PageBreak()]
    for i, sec in enumerate(report.sections):
        if i and sec.new_page:
            story.append(PageBreak())
        story += section_flowables(sec, styles, report.public, images)
    return story


def _toc(styles) -> TableOfContents:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [styles["toc0"]]
    return toc


def render_pdf(report: Report) -> bytes:
    """Two passes: a layout pass with blanks in place of the charts finds the sections' pages; the final pass
    draws the charts once, with those page numbers in the table of contents. The contents list always fits on its
    own page (one line per section), so filling it in moves nothing after it."""
    _register_fonts()
    styles = _styles()
    canvasmaker = _canvas_class(report)
    toc = _toc(styles)
    layout = _Doc(io.BytesIO(), report)
    layout._indexingFlowables = [toc]  # what multiBuild registers: the TOC collects the sections' pages
    layout.build(_story(report, styles, toc, images=False), canvasmaker=canvasmaker)
    final = _toc(styles)
    final._lastEntries = list(toc._entries)  # (level, title, page, key) of every section
    buf = io.BytesIO()
    _Doc(buf, report).build(_story(report, styles, final, images=True), canvasmaker=canvasmaker)
    return buf.getvalue()
