"""The German help for every indicator and breakdown: what is counted, what moves the value, how to read it, where
the data come from. One place for the tile and chart popovers, the page *Kennzahlen erklärt*, the `Hinweise` sheet
of the Excel template and the report.

Structure of an indicator's help (`IndicatorHelp`):
- `zaehler`, `nenner` (None for a count: the value itself is counted), `einheit` (with the factor), `zaehlregel`
  (Stichtag, what counts once, what is left out, how `Gesamt` is formed) — written here, per indicator;
- `treiber` (what drives it), `lesart` (how to read it: a high value is not bad by itself), `quelle` (source data)
  — taken from the catalogue (`catalogue.Indicator.drivers / reading / source`), so they are written once.

`missing_help()` lists the indicators whose help is incomplete; a test keeps it empty for every indicator of the
catalogue and of the domain contract. No Streamlit here.
"""
from __future__ import annotations

from dataclasses import dataclass

from data_models.indicators.breakdowns import BREAKDOWNS
from data_models.indicators.catalogue import CATALOGUE, by_section, get

# --- shared phrases -------------------------------------------------------------------------------------
_STICHTAG = "Stichtag 31.12. des Jahres (Hauptwohnsitz)."
_GESAMT = ("„Gesamt“ addiert Zähler und Nenner aller Sozialräume (einschließlich „OHNE“, nicht zuordenbar) und "
           "teilt einmal – kein Mittelwert der Sozialraum-Werte.")
_GESAMT_SUM = "„Gesamt“ ist die Summe aller Sozialräume einschließlich „OHNE“ (nicht zuordenbar)."
_FAELLE = ("Ein Fall ist eine Hilfe, die am 31.12. läuft oder im Jahr beendet wurde (Inanspruchnahme im Jahr); "
           "eine Familienhilfe zählt einmal, gleich wie viele Kinder sie erreicht.")
_OHNE_EB = "Hilfen zur Erziehung mit Art der Hilfe 04–16 (ohne Erziehungsberatung 01–03, mit § 35a und § 41)"
_U21 = "Einwohner unter 21 Jahren am 31.12. (Summe der Altersgruppen 0 bis unter 21)"
_U18 = "Einwohner unter 18 Jahren am 31.12. (Summe der Altersgruppen 0 bis unter 18)"
_NULL = "Fehlt eine benötigte Angabe oder ist der Nenner 0, steht „keine Daten“ – nie stillschweigend 0."
_REC = "Nur aus HzE-Einzeldaten; mit nur dem Tabellenblatt „HzE“ bleibt der Wert leer."
_PROMILLE_21 = "je 1.000 Einwohner unter 21 (Zähler × 1.000 ÷ Nenner)"
_ZEHNTAUSEND_18 = "je 10.000 Einwohner unter 18 (Zähler × 10.000 ÷ Nenner)"
_PROZENT = "Prozent (Zähler × 100 ÷ Nenner); Veränderungen zum Vorjahr in Prozentpunkten"
_8A = ("Im Jahr abgeschlossene Gefährdungseinschätzungen nach § 8a SGB VIII. Gezählt werden Verfahren, nicht "
       "Kinder: ein Kind mit zwei Verfahren im Jahr zählt zweimal, Geschwister haben je ein eigenes Verfahren.")
_42 = ("Im Jahr beendete Inobhutnahmen (§ 42 und vorläufige nach § 42a); eine am 31.12. noch laufende Maßnahme "
       "zählt erst im Jahr ihres Endes. Gezählt werden Maßnahmen, nicht Kinder.")


@dataclass(frozen=True)
class Formula:
    zaehler: str
    nenner: str | None  # None: the value is a count (or a sum), no denominator
    einheit: str
    zaehlregel: str


def _seg(codes: str, what: str) -> Formula:
    return Formula(f"Fälle {what} (Art der Hilfe {codes})", "alle HzE-Fälle ohne Erziehungsberatung (hze_faelle)",
                   _PROZENT, _FAELLE + " Beide Zahlen aus demselben Jahr und Gebiet. " + _GESAMT)


def _kjf(codes: str, seg: str) -> Formula:
    return Formula(
        f"Ausgaben (EUR) des Segments {seg} im Jahr (Blatt „Kosten“: Zeilen mit Art der Hilfe {codes} oder dem "
        "Segment)",
        f"Fälle dieses Segments (Art der Hilfe {codes}, am 31.12. laufend plus im Jahr beendet)",
        "EUR je Fall",
        "Liegen im Jahr nur Ausgaben „gesamt“ vor, bleibt der Wert leer. Meist nur für die ganze Kommune bekannt. "
        + _NULL)


FORMULAS: dict[str, Formula] = {
    # ---------------------------------------------------------------- Sozialstruktur
    "bev_insgesamt": Formula(
        "alle Einwohnerinnen und Einwohner (Spalte „insgesamt“ im Blatt „Bevölkerung“)", None, "Personen",
        _STICHTAG + " " + _GESAMT_SUM),
    "bev_u18": Formula(_U18, None, "Personen", _STICHTAG + " " + _GESAMT_SUM),
    "bev_u21": Formula(_U21, None, "Personen", _STICHTAG + " " + _GESAMT_SUM),
    "anteil_u21": Formula(_U21, "Einwohner insgesamt am 31.12.", _PROZENT,
                          _STICHTAG + " Unter 100 Einwohnern wird der Anteil außerhalb des Jugendamts nicht "
                          "gezeigt. " + _GESAMT),
    "sgb2_quote_u15": Formula(
        "nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren nach SGB II (Sozialgeld; Blatt „SGB II“, Zahlen der "
        "Bundesagentur für Arbeit)",
        "Einwohner unter 15 Jahren am 31.12. (Altersgruppen 0 bis unter 15)", _PROZENT,
        "Beide Zahlen zum Jahresende. " + _GESAMT + " " + _NULL),
    # ---------------------------------------------------------------- Hilfedichte
    "hze_faelle": Formula(_OHNE_EB + ", am 31.12. laufend plus im Jahr beendet", None, "Fälle",
                          _FAELLE + " " + _GESAMT_SUM),
    "hze_dichte": Formula("HzE-Fälle ohne Erziehungsberatung (hze_faelle)", _U21, _PROMILLE_21,
                          _FAELLE + " " + _GESAMT + " " + _NULL),
    "hze_begonnen": Formula(_OHNE_EB + ", im Jahr begonnen", None, "Fälle",
                            "Zählt jede im Jahr begonnene Hilfe, auch wenn sie im selben Jahr wieder endete. "
                            + _GESAMT_SUM),
    "hze_begonnen_dichte": Formula("im Jahr begonnene HzE ohne Erziehungsberatung (hze_begonnen)", _U21,
                                   _PROMILLE_21, _GESAMT + " " + _NULL),
    "hze_junge_menschen": Formula(
        "junge Menschen in " + _OHNE_EB + ", am 31.12. laufend plus im Jahr beendet", None, "Personen",
        "Bei der Sozialpädagogischen Familienhilfe (07) und den Hilfen nach § 27 (14–16) zählen alle jungen "
        "Menschen der Familie, bei den übrigen Hilfen höchstens einer je Hilfe. Nur wenn die Spalte „junge "
        "Menschen“ gefüllt ist oder Einzeldaten vorliegen. " + _GESAMT_SUM),
    "hze_junge_menschen_dichte": Formula("junge Menschen in HzE ohne Erziehungsberatung (hze_junge_menschen)", _U21,
                                         _PROMILLE_21, "Zählt Personen statt Hilfen, wie viele nationale Berichte. "
                                         + _GESAMT + " " + _NULL),
    "eb_faelle": Formula(
        "Erziehungsberatung nach § 28 (Art der Hilfe 01–03), am 31.12. laufend plus im Jahr beendet", None, "Fälle",
        "Enthalten die HzE-Daten eines Jahres gar keine Erziehungsberatung, zählt ersatzweise die Spalte „§ 28 "
        "Erziehungsberatung“ des Blatts „Beratung“. " + _GESAMT_SUM),
    "eb_dichte": Formula("Fälle der Erziehungsberatung (eb_faelle)", _U21, _PROMILLE_21, _GESAMT + " " + _NULL),
    "beratung_16_18": Formula(
        "Beratungen nach § 16 (allgemeine Förderung der Erziehung in der Familie) + § 17 (Partnerschaft, Trennung, "
        "Scheidung) + § 18 (Sorge und Umgang), Fälle im Jahr", None, "Fälle",
        "Summe der gefüllten Spalten des Blatts „Beratung“; leer, wenn alle drei Spalten leer sind. Die Zahlen "
        "werden vor Ort geführt (keine Bundesstatistik). " + _GESAMT_SUM),
    "beratung_16_18_dichte": Formula("Beratung §§ 16–18 (beratung_16_18)", _U21, _PROMILLE_21,
                                     _GESAMT + " " + _NULL),
    # ---------------------------------------------------------------- Leistungen
    "anteil_ambulant": _seg("04–07, 12, 14, 16", "ambulanter Hilfen"),
    "anteil_teilstationaer": _seg("08", "teilstationärer Hilfen (Tagesgruppe)"),
    "anteil_stationaer": _seg("09–11, 15", "stationärer Hilfen (Vollzeitpflege, Heimerziehung)"),
    "anteil_35a": _seg("13", "der Eingliederungshilfe nach § 35a"),
    "vzp_heim_verhaeltnis": Formula(
        "Fälle der Vollzeitpflege (Art der Hilfe 09 und 10)", "Fälle der Heimerziehung (Art der Hilfe 11)",
        "Verhältnis ohne Faktor: 1,0 = gleich viele Pflegeverhältnisse wie Heimunterbringungen",
        _FAELLE + " " + _GESAMT + " " + _NULL),
    "dauer_beendet": Formula(
        "Summe der Dauer aller im Jahr beendeten HzE ohne Erziehungsberatung in Monaten, je Hilfe (Endjahr × 12 + "
        "Endmonat) − (Beginnjahr × 12 + Beginnmonat)",
        "Zahl dieser beendeten Hilfen", "Monate (Mittelwert)",
        "Eine Hilfe, die im selben Monat beginnt und endet, dauert 0 Monate. " + _REC),
    "beendet_gemaess_hilfeplan": Formula(
        "im Jahr beendete HzE ohne Erziehungsberatung mit Beendigungsgrund 10 (gemäß Hilfeplan)",
        "im Jahr beendete HzE ohne Erziehungsberatung mit einem Beendigungsgrund außer 40 (Zuständigkeitswechsel)",
        _PROZENT, "Hilfen ohne Beendigungsgrund und Zuständigkeitswechsel zählen nicht. " + _REC),
    "transfer_quote": Formula(
        "im Jahr begonnene HzE ohne Erziehungsberatung, deren Familie Transferleistungen bezieht (Merkmal = 1, ja)",
        "im Jahr begonnene HzE ohne Erziehungsberatung mit Angabe ja (1) oder nein (2)", _PROZENT,
        "„Unbekannt“ zählt weder im Zähler noch im Nenner. " + _REC),
    "anteil_nach_8a": Formula(
        "im Jahr begonnene HzE ohne Erziehungsberatung, denen eine Gefährdungseinschätzung nach § 8a vorausging "
        "(Merkmal = 1, ja)",
        "im Jahr begonnene HzE ohne Erziehungsberatung mit Angabe ja (1) oder nein (2)", _PROZENT,
        "„Unbekannt“ zählt weder im Zähler noch im Nenner. " + _REC),
    # ---------------------------------------------------------------- Ressourcen
    "ausgaben_hze": Formula(
        "Ist-Ausgaben (brutto, EUR) der Hilfen zur Erziehung ohne Erziehungsberatung im Jahr: Zeilen des Blatts "
        "„Kosten“ mit Art der Hilfe 04–16, den Segmenten außer EB oder „gesamt“", None, "EUR",
        "Je Jahr entweder Codes, Segmente oder „gesamt“; eine fehlende Code- oder Segmentzeile zählt als 0; "
        "Erziehungsberatung zählt nie mit. Meist nur für die ganze Kommune bekannt: dann haben die Sozialräume keinen "
        "Wert, nur „Gesamt“."),
    "ausgaben_je_u21": Formula("Ausgaben HzE (ausgaben_hze, EUR)", _U21, "EUR je Einwohner unter 21",
                               "Ausgaben und Einwohner desselben Jahres. " + _NULL),
    "kosten_je_fall_ambulant": _kjf("04–07, 12, 14, 16", "ambulant"),
    "kosten_je_fall_teilstationaer": _kjf("08", "teilstationär"),
    "kosten_je_fall_stationaer": _kjf("09–11, 15", "stationär"),
    "kosten_je_fall_35a": _kjf("13", "§ 35a"),
    "haushalt_ausschoepfung": Formula(
        "Ist-Ausgaben der HzE ohne Erziehungsberatung (die Zeilen von ausgaben_hze, die einen Ansatz haben)",
        "Haushaltsansatz (Plan, Spalte „Ansatz (EUR)“) derselben Zeilen", _PROZENT,
        "Nur Zeilen mit einem Ansatz zählen, im Zähler wie im Nenner. " + _NULL),
    "faelle_je_vollzeitstelle": Formula(
        "am 31.12. laufende HzE ohne Erziehungsberatung in den Sozialräumen des ASD-Teams (Blatt „Sozialräume“, "
        "Spalte „Team“)",
        "Vollzeitstellen des Teams abzüglich „davon unbesetzt“ (Blatt „Personal“)",
        "Fälle je besetzter Vollzeitstelle",
        "Nur am 31.12. laufende Hilfen (ohne die im Jahr beendeten). Jeder Sozialraum zeigt den Wert seines Teams; "
        "„Gesamt“: alle laufenden Hilfen einschließlich „OHNE“ je besetzter Stelle aller Teams."),
    # ---------------------------------------------------------------- Wächteramt
    "verfahren_8a": Formula(
        "Verfahren mit dem Ergebnis akute Kindeswohlgefährdung + latente Kindeswohlgefährdung + keine Gefährdung, "
        "aber Hilfebedarf + keine Gefährdung und kein Hilfebedarf", None, "Verfahren", _8A + " " + _GESAMT_SUM),
    "verfahren_8a_dichte": Formula("Gefährdungseinschätzungen § 8a (verfahren_8a)", _U18, _ZEHNTAUSEND_18,
                                   _8A + " " + _GESAMT + " " + _NULL),
    "kwg_faelle": Formula("Verfahren mit dem Ergebnis akute oder latente Kindeswohlgefährdung", None, "Verfahren",
                          _8A + " " + _GESAMT_SUM),
    "kwg_quote": Formula("Verfahren mit akuter oder latenter Kindeswohlgefährdung (kwg_faelle)",
                         "alle Gefährdungseinschätzungen (verfahren_8a)", _PROZENT, _8A + " " + _GESAMT),
    "akut_quote": Formula("Verfahren mit akuter Kindeswohlgefährdung", "alle Gefährdungseinschätzungen (verfahren_8a)",
                          _PROZENT, _8A + " " + _GESAMT),
    "hilfebedarf_quote": Formula(
        "Verfahren mit akuter oder latenter Gefährdung oder mit Hilfebedarf ohne Gefährdung",
        "alle Gefährdungseinschätzungen (verfahren_8a)", _PROZENT, _8A + " " + _GESAMT),
    "kwg_dichte": Formula("festgestellte Kindeswohlgefährdungen (kwg_faelle)", _U18, _ZEHNTAUSEND_18,
                          _8A + " " + _GESAMT + " " + _NULL),
    "inobhutnahmen": Formula("Inobhutnahmen nach § 42 und § 42a (Spalte „Inobhutnahmen“ des Blatts „§ 42“)", None,
                             "Maßnahmen", _42 + " " + _GESAMT_SUM),
    "inobhutnahmen_dichte": Formula("Inobhutnahmen (inobhutnahmen)", _U18, _ZEHNTAUSEND_18,
                                    _42 + " " + _GESAMT + " " + _NULL),
    "inobhutnahmen_ohne_uma_dichte": Formula(
        "Inobhutnahmen abzüglich „davon nach unbegleiteter Einreise“", _U18, _ZEHNTAUSEND_18,
        _42 + " Unbegleitet eingereist: Art der Maßnahme 2 (§ 42a) oder Anlass 8. " + _GESAMT + " " + _NULL),
    "anteil_io_kurz": Formula("Inobhutnahmen, die innerhalb von 2 Wochen beendet wurden (Ende − Beginn ≤ 14 Tage)",
                              "alle Inobhutnahmen (inobhutnahmen)", _PROZENT, _42 + " " + _GESAMT),
    "anteil_io_rueckkehr": Formula("Inobhutnahmen mit anschließender Rückkehr zu den Sorgeberechtigten",
                                   "alle Inobhutnahmen (inobhutnahmen)", _PROZENT, _42 + " " + _GESAMT),
}

# how to read a breakdown (Aufschlüsselung); what it counts and its source are in breakdowns.BREAKDOWNS
BREAKDOWN_READING: dict[str, str] = {
    "hilfeart": "Zeigt, welche Hilfen gewährt werden. Eine große Zahl bei einer Hilfeart ist kein Urteil; sie "
                "spiegelt Bedarf, Angebote vor Ort und fachliche Leitlinien.",
    "segment": "Der Hilfemix nach Segmenten (mit Erziehungsberatung). Wichtig ist, ob der Mix zum Bedarf passt, "
               "nicht ob ein Segment groß oder klein ist.",
    "grund": "Die Hauptgründe beschreiben Lebenslagen der Familien, nicht die Arbeit des Jugendamts. Nur der erste "
             "Grund zählt.",
    "anregende": "Zeigt, über welche Wege Hilfen zustande kommen (Eltern, Schule, Gericht …); hilfreich für die "
                 "Zusammenarbeit mit Partnern im Sozialraum.",
    "altersgruppe": "Alter der jungen Menschen bei Beginn der Hilfe. Früh beginnende Hilfen sind nicht von sich aus "
                    "besser; die Verteilung folgt auch der Altersstruktur der Bevölkerung.",
    "geschlecht": "Verteilung nach Geschlecht; Unterschiede folgen oft dem Alter und der Art der Hilfe.",
    "zugaenge": "Örtlich festgelegte Zugangswege; nur innerhalb der eigenen Kommune vergleichbar.",
    "8a_ergebnis": "Die vier Ergebnisse der Gefährdungseinschätzungen. Viele Verfahren ohne Gefährdung zeigen eine "
                   "hohe Meldebereitschaft, keine schlechte Arbeit.",
    "8a_art": "Mehrfachnennungen: die Anteile beziehen sich auf die Verfahren mit festgestellter Gefährdung und "
              "können zusammen mehr als 100 % ergeben.",
    "8a_melder": "Wer die Gefährdung bekannt gemacht hat. Die Verteilung zeigt, welche Partner hinsehen und melden.",
    "42_anlass": "Mehrfachnennungen: die Anteile beziehen sich auf alle Inobhutnahmen und können zusammen mehr als "
                 "100 % ergeben.",
    "42_anregende": "Wer die Inobhutnahme angeregt hat (auch die jungen Menschen selbst).",
    "42_anschluss": "Wohin die jungen Menschen nach der Inobhutnahme gehen. Eine Hilfe außerhalb der Familie ist "
                    "kein Misserfolg; sie kann der passende Schutz sein.",
}

FIELDS = ("zaehler", "einheit", "zaehlregel", "treiber", "lesart", "quelle")
MIN_CHARS = 20  # a text shorter than this is not an explanation


@dataclass(frozen=True)
class IndicatorHelp:
    id: str
    label: str
    section: str
    unit: str
    zaehler: str
    nenner: str | None
    einheit: str
    zaehlregel: str
    treiber: str
    lesart: str
    quelle: str
    needs_records: bool = False

    def definition(self) -> str:
        """One sentence: Zähler, Nenner, Einheit (for tooltips and tables)."""
        if self.nenner is None:
            return f"Anzahl: {_cap(self.zaehler)}. Einheit: {self.einheit}."
        return f"Zähler: {_cap(self.zaehler)}. Nenner: {_cap(self.nenner)}. Einheit: {self.einheit}."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def indicator_help(indicator_id: str) -> IndicatorHelp:
    """The structured help of an indicator; KeyError (German message) for an unknown id or one without help."""
    ind = get(indicator_id)
    if indicator_id not in FORMULAS:
        raise KeyError(f"Keine Erläuterung für die Kennzahl {indicator_id!r}")
    f = FORMULAS[indicator_id]
    return IndicatorHelp(ind.id, ind.label, ind.section, ind.unit, f.zaehler, f.nenner, f.einheit, f.zaehlregel,
                         ind.drivers, ind.reading, ind.source, ind.needs_records)


def missing_help(ids=None) -> dict[str, list[str]]:
    """Indicator id -> names of missing or too short help fields; empty when every indicator is explained.
    `ids` defaults to the whole catalogue."""
    out: dict[str, list[str]] = {}
    for i in (CATALOGUE if ids is None else ids):
        try:
            h = indicator_help(i)
        except KeyError:
            out[i] = ["alles"]
            continue
        gaps = [name for name in FIELDS
                if len((getattr(h, name) or "").strip()) < (1 if name == "einheit" else MIN_CHARS)]
        if CATALOGUE[i].factor is not None and len((h.nenner or "").strip()) < MIN_CHARS:
            gaps.append("nenner")  # a rate needs its denominator explained
        if gaps:
            out[i] = gaps
    return out


def short_help(indicator_id: str) -> str:
    """For a tooltip: Zähler, Nenner and Einheit in one line, and where the full explanation is."""
    return f"{indicator_help(indicator_id).definition()} Mehr unter „Erläuterung“."


def help_markdown(indicator_id: str, *, heading: bool = True, level: int = 4) -> str:
    """The full help as Markdown (our text only, no user input): a heading with label and unit (optional), then
    Zähler, Nenner, Einheit, Zählregel, Was den Wert bewegt, Lesart, Datenquelle."""
    h = indicator_help(indicator_id)
    lines = []
    if heading:
        lines.append(f"{'#' * level} {h.label}")
        lines.append("")
    lines.append(f"*{h.section} · Kennung `{h.id}` · Einheit: {h.unit}*")
    lines.append("")
    lines.append(f"- **Zähler:** {_cap(h.zaehler)}")
    lines.append(f"- **Nenner:** {_cap(h.nenner)}" if h.nenner else "- **Nenner:** keiner – der Wert ist eine Anzahl")
    lines.append(f"- **Einheit:** {h.einheit}")
    lines.append(f"- **Zählregel:** {h.zaehlregel}")
    lines.append(f"- **Was den Wert bewegt:** {h.treiber}")
    lines.append(f"- **Wie lesen:** {h.lesart}")
    lines.append(f"- **Datenquelle:** {h.quelle}")
    return "\n".join(lines)


def help_rows() -> list[dict[str, str]]:
    """One row per indicator in catalogue order (for the template's Hinweise sheet and report tables)."""
    rows = []
    for section, inds in by_section().items():
        for ind in inds:
            h = indicator_help(ind.id)
            rows.append({"Bereich": section, "Kennzahl": h.label, "Kennung": h.id, "Einheit": h.einheit,
                         "Zähler": _cap(h.zaehler), "Nenner": _cap(h.nenner) if h.nenner else "– (Anzahl)",
                         "Zählregel": h.zaehlregel, "Was den Wert bewegt": h.treiber, "Wie lesen": h.lesart,
                         "Datenquelle": h.quelle})
    return rows


GENERAL_READING = (
    "Kennzahlen beschreiben, sie bewerten nicht. Ein hoher oder niedriger Wert ist für sich genommen weder gut noch "
    "schlecht: er wird erst im Zusammenhang verständlich – mit der sozialen Lage (SGB-II-Quote), der Altersstruktur, "
    "den Angeboten vor Ort, der fachlichen Praxis und der Entwicklung über die Jahre. Farben in Karten und "
    "Diagrammen zeigen Stufen (hell = niedrig, dunkel = hoch) oder den Abstand zu einem genannten Bezugswert, nie "
    "„gut“ oder „schlecht“."
)

CONVENTIONS = [
    "Jahr Y heißt: Bevölkerung am 31.12.Y, Hilfen am 31.12.Y laufend oder im Jahr beendet, im Jahr abgeschlossene "
    "Verfahren, im Jahr beendete Maßnahmen, im Jahr ausgegebenes Geld.",
    "HzE heißt: Hilfen zur Erziehung ohne Erziehungsberatung (Art der Hilfe 04–16), einschließlich § 35a und § 41.",
    "„Gesamt“ addiert Zähler und Nenner aller Sozialräume (einschließlich „OHNE“) und teilt einmal; fehlen für "
    "einen bestehenden Sozialraum Angaben, bleibt „Gesamt“ leer.",
    "„keine Daten“ heißt: eine benötigte Angabe fehlt oder der Nenner ist 0. Ein fehlender Wert wird nie als 0 "
    "gezählt.",
    "Quoten werden erst multipliziert, dann einmal geteilt, und in der Anzeige kaufmännisch auf eine Nachkommastelle "
    "gerundet; Veränderungen von Anteilen in Prozentpunkten.",
    "Außerhalb des Jugendamts (Workshop-Links, Vergleich der Jugendämter) werden Anzahlen von 1 oder 2 und daraus "
    "berechnete Werte unterdrückt („.“).",
]


def breakdown_markdown(name: str) -> str:
    """Help for a breakdown table (Aufschlüsselung): what is counted, the share, how to read, the source."""
    b = BREAKDOWNS[name]
    share = ("Anteil = Anzahl ÷ Zahl der Fälle bzw. Verfahren × 100 (Mehrfachnennungen)" if b.multiple
             else "Anteil = Anzahl ÷ Summe aller Kategorien desselben Jahres und Gebiets × 100")
    lines = [f"- **Gezählt:** {b.counted}", f"- **Anteil:** {share}",
             f"- **Wie lesen:** {BREAKDOWN_READING[name]}", f"- **Datenquelle:** {b.source}"]
    if b.records_only:
        lines.append("- Nur aus Einzeldaten verfügbar.")
    return "\n".join(lines)


def all_help_markdown(level: int = 2) -> str:
    """The whole explanation (page *Kennzahlen erklärt*, report appendix): general reading, conventions, then
    every indicator by section."""
    h = "#" * level
    parts = [f"{h} Wie die Kennzahlen zu lesen sind", "", GENERAL_READING, "",
             *[f"- {c}" for c in CONVENTIONS], ""]
    for section, inds in by_section().items():
        parts += [f"{h} {section}", ""]
        for ind in inds:
            parts += [help_markdown(ind.id, level=level + 1), ""]
    return "\n".join(parts).rstrip() + "\n"

