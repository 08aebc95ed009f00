"""The indicator catalogue: id, German label, section, unit, kind of change, suppression facts and help text.

The formulas live next to their documentation in the section modules (`sozialstruktur.py`, `hilfedichte.py`,
`leistungen.py`, `ressourcen.py`, `waechteramt.py`); this module holds what pages, exports and the command line
need to describe an indicator. Units are the exact strings of the domain contract (indicators.md).

Suppression facts (privacy.md, rule 2): `zaehler_q` / `nenner_q` name the *count* quantity behind the numerator /
denominator (None when it is money, months or staff), `nenner_population` marks denominators that are a population
(a rate over fewer than 100 people is suppressed). For counts, `zaehler_q` names the counted quantity. The names of
quantities are shared between indicators (e.g. `hze_faelle` is the value of `hze_faelle`, the numerator of
`hze_dichte` and the denominator of `anteil_ambulant`), so privacy.py can suppress every cell that shows a
suppressed quantity.
"""
from __future__ import annotations

from dataclasses import dataclass

SECTIONS = ("Sozialstruktur", "Hilfedichte", "Leistungen", "Ressourcen", "Wächteramt")

PERCENT = "percent"  # change to the previous year in % ((v / v_prev - 1) x 100)
PP = "pp"  # change in Prozentpunkte (v - v_prev), for indicators in %

COUNT_UNITS = ("Personen", "Fälle", "Verfahren", "Maßnahmen")  # privacy.md: what a "count" is


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    section: str
    unit: str
    is_count: bool  # the value itself is a count (Personen, Fälle, Verfahren, Maßnahmen)
    definition: str  # Zähler, Nenner, Einheit, Zählregel
    drivers: str  # what drives the value
    reading: str  # how to read it
    source: str  # which data it comes from
    factor: float | None = None  # rate factor (100, 1000, 10000, 1); None for counts and sums
    zaehler_q: str | None = None  # count quantity of the numerator (for counts: the value)
    nenner_q: str | None = None  # count quantity of the denominator
    nenner_population: bool = False  # denominator is a population (suppressed below 100)
    needs_records: bool = False  # only with single-case records

    @property
    def change(self) -> str:
        """Kind of change to the previous year: Prozentpunkte for indicators in %, otherwise percent."""
        return PP if self.unit == "%" else PERCENT

    @property
    def change_label(self) -> str:
        return "Prozentpunkte" if self.change == PP else "%"

    @property
    def help(self) -> str:
        """The German help text shown next to the indicator (definition, drivers, reading, source)."""
        return (
            f"{self.label} ({self.unit}). Definition: {self.definition} "
            f"Was den Wert beeinflusst: {self.drivers} "
            f"Lesart: {self.reading} "
            f"Datenquelle: {self.source}"
        )


_POP = "Tabellenblatt „Bevölkerung“ (Hauptwohnsitz am 31.12. des Jahres)."
_HZE_SRC = ("Tabellenblatt „HzE“ bzw. die HzE-Einzeldaten (Bundesstatistik §§ 98 ff. SGB VIII), wenn für das Jahr "
            "Einzeldaten vorliegen.")
_REC_SRC = "nur aus den HzE-Einzeldaten (Bundesstatistik); mit nur dem Tabellenblatt „HzE“ bleibt der Wert leer."
_FAELLE = ("Gezählt werden Hilfen (Fälle), nicht Personen: am 31.12. laufende plus im Jahr beendete Hilfen "
           "(Inanspruchnahme); eine Familienhilfe zählt einmal.")
_HIGH = "Ein hoher Wert ist für sich genommen weder gut noch schlecht"
_U21 = "Einwohner unter 21 (Summe der Altersgruppen bis unter 21 im Blatt „Bevölkerung“)"
_U18 = "Einwohner unter 18 (Summe der Altersgruppen bis unter 18 im Blatt „Bevölkerung“)"
_8A_SRC = "Tabellenblatt „§ 8a“ bzw. die § 8a-Einzeldaten (im Jahr abgeschlossene Gefährdungseinschätzungen)."
_42_SRC = "Tabellenblatt „§ 42“ bzw. die § 42-Einzeldaten (im Jahr beendete Maßnahmen)."
_KOSTEN_SRC = ("Tabellenblatt „Kosten“ (Ist-Ausgaben brutto). Meist nur für die ganze Kommune bekannt: dann haben "
               "die Sozialräume keinen Wert, nur „Gesamt“.")


def _count(id, label, section, unit, q, definition, drivers, reading, source, **kw) -> Indicator:
    return Indicator(id, label, section, unit, True, definition, drivers, reading, source, zaehler_q=q, **kw)


def _rate(id, label, section, unit, factor, zq, nq, definition, drivers, reading, source, **kw) -> Indicator:
    return Indicator(id, label, section, unit, False, definition, drivers, reading, source, factor=factor,
                     zaehler_q=zq, nenner_q=nq, **kw)


def _seg_share(id, label, seg_q, seg_text, drivers) -> Indicator:
    return _rate(
        id, label, "Leistungen", "%", 100, seg_q, "hze_faelle",
        f"Zähler: Fälle {seg_text}; Nenner: alle HzE-Fälle ohne Erziehungsberatung (hze_faelle); × 100, in %. "
        + _FAELLE,
        drivers,
        "Der Anteil beschreibt den Hilfemix, nicht die Menge der Hilfen. " + _HIGH + "; wichtig ist, ob der Mix "
        "zum Bedarf im Sozialraum passt. Veränderungen zum Vorjahr werden in Prozentpunkten angegeben.",
        _HZE_SRC,
    )


def _kosten_je_fall(key, seg_label, seg_q, codes) -> Indicator:
    return _rate(
        f"kosten_je_fall_{key}", f"Kosten je Fall {seg_label}", "Ressourcen", "EUR", 1, None, seg_q,
        f"Zähler: Ausgaben (EUR) des Segments {seg_label} (Art der Hilfe {codes}) im Jahr; Nenner: Fälle dieses "
        "Segments (am 31.12. laufend plus im Jahr beendet); in EUR je Fall. Liegen im Jahr nur Ausgaben „gesamt“ "
        "vor, bleibt der Wert leer.",
        "Die Dauer und Intensität der Hilfen, die Entgelte der Träger und die Zahl der kurzen, im Jahr beendeten "
        "Hilfen (sie zählen als ganzer Fall, kosten aber nur einen Teil des Jahres).",
        "Ein Durchschnitt über sehr unterschiedliche Hilfen; hohe Kosten je Fall können für intensive, passgenaue "
        "Hilfen stehen. Nur zusammen mit Dauer und Hilfemix deuten.",
        _KOSTEN_SRC + " Fälle: " + _HZE_SRC,
    )


_LIST: list[Indicator] = [
    # ---------------------------------------------------------------- Sozialstruktur
    _count(
        "bev_insgesamt", "Einwohner insgesamt", "Sozialstruktur", "Personen", "insgesamt",
        "Alle Einwohnerinnen und Einwohner mit Hauptwohnsitz am 31.12. des Jahres (Spalte „insgesamt“); Einheit "
        "Personen.",
        "Geburten, Sterbefälle, Zu- und Fortzüge, Neubaugebiete, Zuschnitt des Sozialraums.",
        "Die Größe des Sozialraums; Grundlage für Anteile. Sagt allein nichts über Bedarf aus.",
        _POP,
    ),
    _count(
        "bev_u18", "Einwohner unter 18", "Sozialstruktur", "Personen", "u18",
        "Einwohner unter 18 Jahren am 31.12. (Summe der Altersgruppen 0 bis unter 18); Einheit Personen.",
        "Geburten, Zuzug von Familien, Alterung der Bevölkerung.",
        "Nenner der Wächteramt-Kennzahlen (je 10.000 unter 18). Ein großer Wert bedeutet mehr Kinder, nicht "
        "mehr Probleme.",
        _POP,
    ),
    _count(
        "bev_u21", "Einwohner unter 21", "Sozialstruktur", "Personen", "u21",
        "Einwohner unter 21 Jahren am 31.12. (Summe der Altersgruppen 0 bis unter 21); Einheit Personen.",
        "Geburten, Zuzug von Familien, Ausbildungs- und Studienorte.",
        "Nenner der Eckwerte (je 1.000 unter 21). Ein großer Wert bedeutet mehr junge Menschen, nicht mehr "
        "Bedarf.",
        _POP,
    ),
    _rate(
        "anteil_u21", "Anteil unter 21", "Sozialstruktur", "%", 100, "u21", "insgesamt",
        "Zähler: Einwohner unter 21; Nenner: Einwohner insgesamt; × 100, in %.",
        "Familienfreundliche Wohnlagen, Neubau, Alterung; Studierende zählen meist erst ab 18.",
        "Ein hoher Anteil zeigt einen jungen Sozialraum mit entsprechend großer Nachfrage nach Angeboten der "
        "Kinder- und Jugendhilfe. " + _HIGH + ". Veränderungen in Prozentpunkten.",
        _POP, nenner_population=True,
    ),
    _rate(
        "sgb2_quote_u15", "SGB-II-Quote unter 15", "Sozialstruktur", "%", 100, "lb_u15", "u15",
        "Zähler: nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren nach SGB II (Sozialgeld); Nenner: "
        "Einwohner unter 15; × 100, in %.",
        "Arbeitslosigkeit, Einkommen und Mieten im Sozialraum, Zuzug von Familien mit geringem Einkommen.",
        "Der wichtigste Hinweis auf soziale Belastung: Sozialräume mit hoher Quote haben erfahrungsgemäß mehr "
        "Hilfen zur Erziehung. Der Wert beschreibt Lebenslagen, keine Leistung des Jugendamts.",
        "Tabellenblatt „SGB II“ (Statistik der Bundesagentur für Arbeit) und " + _POP,
        nenner_population=True,
    ),
    # ---------------------------------------------------------------- Hilfedichte
    _count(
        "hze_faelle", "HzE-Fälle (ohne EB)", "Hilfedichte", "Fälle", "hze_faelle",
        "Hilfen zur Erziehung ohne Erziehungsberatung (Art der Hilfe 04–16, einschließlich § 35a und § 41), am "
        "31.12. laufend plus im Jahr beendet; Einheit Fälle. " + _FAELLE,
        "Bedarf und Lebenslagen im Sozialraum, Zugänge (Schule, Kita, Polizei, Gericht), fachliche Praxis und "
        "Steuerung des ASD, Angebote im Vorfeld (§§ 16–18, Frühe Hilfen).",
        "Die Menge der Hilfen; zum Vergleich von Sozialräumen unterschiedlicher Größe den Eckwert nutzen. "
        + _HIGH + ".",
        _HZE_SRC,
    ),
    _rate(
        "hze_dichte", "Eckwert HzE (ohne EB)", "Hilfedichte", "je 1.000 unter 21", 1000, "hze_faelle", "u21",
        "Zähler: HzE-Fälle ohne Erziehungsberatung (hze_faelle); Nenner: " + _U21 + "; × 1.000, je 1.000 "
        "unter 21. " + _FAELLE,
        "Soziale Belastung (SGB-II-Quote), Familienstrukturen, Zugänge, Praxis des ASD, präventive Angebote.",
        "Der zentrale Eckwert der Strategiekarte. " + _HIGH + ": ein hoher Eckwert kann einen hohen Bedarf "
        "zeigen, der gut gedeckt wird; ein niedriger kann unentdeckten Bedarf bedeuten. Im Vergleich mit der "
        "SGB-II-Quote deuten.",
        _HZE_SRC + " Nenner: " + _POP, nenner_population=True,
    ),
    _count(
        "hze_begonnen", "begonnene HzE (ohne EB)", "Hilfedichte", "Fälle", "hze_begonnen",
        "Im Jahr begonnene Hilfen zur Erziehung ohne Erziehungsberatung (Art der Hilfe 04–16); Einheit Fälle.",
        "Neue Bedarfe, Meldungen und Zugänge, Schwelle des ASD für neue Hilfen, Übernahmen von anderen "
        "Jugendämtern.",
        "Zeigt die Dynamik: steigen die begonnenen Hilfen, steigen die laufenden meist später. " + _HIGH + ".",
        _HZE_SRC,
    ),
    _rate(
        "hze_begonnen_dichte", "Eckwert begonnene HzE", "Hilfedichte", "je 1.000 unter 21", 1000,
        "hze_begonnen", "u21",
        "Zähler: im Jahr begonnene HzE ohne Erziehungsberatung; Nenner: " + _U21 + "; × 1.000, je 1.000 unter "
        "21.",
        "Neue Bedarfe, Zugänge, Praxis der Hilfegewährung.",
        "Vergleichbar über Sozialräume unterschiedlicher Größe. " + _HIGH + ".",
        _HZE_SRC + " Nenner: " + _POP, nenner_population=True,
    ),
    _count(
        "hze_junge_menschen", "junge Menschen in HzE (ohne EB)", "Hilfedichte", "Personen", "jm",
        "Junge Menschen in Hilfen zur Erziehung ohne Erziehungsberatung (Art der Hilfe 04–16), am 31.12. "
        "laufend plus im Jahr beendet; bei Familienhilfen alle jungen Menschen der Familie; Einheit Personen. "
        "Nur wenn die Spalte „junge Menschen“ gefüllt ist oder Einzeldaten vorliegen.",
        "Wie bei den HzE-Fällen, dazu die Größe der Familien in familienbezogenen Hilfen (SPFH).",
        "Nationale Berichte zählen oft junge Menschen statt Hilfen; dieser Wert macht den Vergleich möglich. "
        "Er ist größer als die Zahl der Fälle, wenn viele Familienhilfen laufen.",
        _HZE_SRC,
    ),
    _rate(
        "hze_junge_menschen_dichte", "Eckwert junge Menschen in HzE", "Hilfedichte", "je 1.000 unter 21", 1000,
        "jm", "u21",
        "Zähler: junge Menschen in HzE ohne Erziehungsberatung (hze_junge_menschen); Nenner: " + _U21
        + "; × 1.000, je 1.000 unter 21.",
        "Wie beim Eckwert HzE, dazu die Familiengröße in Familienhilfen.",
        "Vergleichbar mit Eckwerten, die junge Menschen zählen. " + _HIGH + ".",
        _HZE_SRC + " Nenner: " + _POP, nenner_population=True,
    ),
    _count(
        "eb_faelle", "Erziehungsberatung", "Hilfedichte", "Fälle", "eb",
        "Erziehungsberatung nach § 28 (Art der Hilfe 01–03), am 31.12. laufend plus im Jahr beendet; Einheit "
        "Fälle. Enthalten die HzE-Daten eines Jahres gar keine Erziehungsberatung, wird die Spalte „§ 28 "
        "Erziehungsberatung“ des Blatts „Beratung“ verwendet.",
        "Angebot und Erreichbarkeit der Beratungsstellen, Wartezeiten, Bekanntheit, Meldeweg der freien Träger.",
        "Erziehungsberatung ist niedrigschwellig; viele Fälle sprechen eher für ein gut erreichbares Angebot. "
        + _HIGH + ".",
        _HZE_SRC + " Ersatzweise Tabellenblatt „Beratung“, Spalte „§ 28“.",
    ),
    _rate(
        "eb_dichte", "Eckwert Erziehungsberatung", "Hilfedichte", "je 1.000 unter 21", 1000, "eb", "u21",
        "Zähler: Fälle der Erziehungsberatung (eb_faelle); Nenner: " + _U21 + "; × 1.000, je 1.000 unter 21.",
        "Angebot, Erreichbarkeit und Bekanntheit der Beratungsstellen.",
        "Ein hoher Eckwert zeigt eine stark genutzte Beratung, oft als Ergänzung zu den übrigen Hilfen. "
        + _HIGH + ".",
        _HZE_SRC + " Nenner: " + _POP, nenner_population=True,
    ),
    _count(
        "beratung_16_18", "Beratung §§ 16–18", "Hilfedichte", "Fälle", "b1618",
        "Summe der gefüllten Spalten § 16 (allgemeine Förderung der Erziehung in der Familie), § 17 (Beratung "
        "bei Partnerschaft, Trennung und Scheidung) und § 18 (Beratung bei Sorge und Umgang), Fälle im Jahr; "
        "leer, wenn alle drei Spalten leer sind.",
        "Angebote der Familienbildung und -beratung, Trennungen und Scheidungen, Erfassungspraxis.",
        "Präventive und niedrigschwellige Leistungen; ein hoher Wert zeigt eher ein breites Angebot. " + _HIGH
        + ".",
        "Tabellenblatt „Beratung“ (manuell geführte Zahlen).",
    ),
    _rate(
        "beratung_16_18_dichte", "Eckwert Beratung §§ 16–18", "Hilfedichte", "je 1.000 unter 21", 1000,
        "b1618", "u21",
        "Zähler: Beratung §§ 16–18 (beratung_16_18); Nenner: " + _U21 + "; × 1.000, je 1.000 unter 21.",
        "Angebote im Vorfeld der Hilfen zur Erziehung, Erfassungspraxis.",
        "Im Vergleich mit dem Eckwert HzE zu lesen: wo Prävention wirkt, können spätere Hilfen seltener "
        "nötig sein. " + _HIGH + ".",
        "Tabellenblatt „Beratung“ und " + _POP, nenner_population=True,
    ),
    # ---------------------------------------------------------------- Leistungen
    _seg_share("anteil_ambulant", "Anteil ambulanter Hilfen", "amb",
               "ambulanter Hilfen (Art der Hilfe 04–07, 12, 14, 16)",
               "Ambulante Angebote im Sozialraum, fachliche Leitlinien („ambulant vor stationär“), Alter der "
               "jungen Menschen."),
    _seg_share("anteil_teilstationaer", "Anteil teilstationärer Hilfen", "teil",
               "teilstationärer Hilfen (Tagesgruppe, Art der Hilfe 08)",
               "Plätze in Tagesgruppen, Ganztagsangebote der Schulen."),
    _seg_share("anteil_stationaer", "Anteil stationärer Hilfen", "stat",
               "stationärer Hilfen (Vollzeitpflege und Heimerziehung, Art der Hilfe 09–11, 15)",
               "Schwere der Problemlagen, Alter der jungen Menschen, unbegleitete Minderjährige, Verfügbarkeit "
               "ambulanter Alternativen."),
    _seg_share("anteil_35a", "Anteil Eingliederungshilfe § 35a", "p35a",
               "der Eingliederungshilfe nach § 35a (Art der Hilfe 13)",
               "Diagnostik und Schulbegleitung, Inklusion an Schulen, Antragsverhalten der Eltern."),
    _rate(
        "vzp_heim_verhaeltnis", "Vollzeitpflege je Heimerziehung", "Leistungen", "Verhältnis", 1, "f0910", "f11",
        "Zähler: Fälle der Vollzeitpflege (Art der Hilfe 09 und 10); Nenner: Fälle der Heimerziehung (Art der "
        "Hilfe 11); ohne Faktor, als Verhältnis. Fälle = am 31.12. laufend plus im Jahr beendet.",
        "Zahl und Gewinnung von Pflegefamilien, Alter der jungen Menschen, Heimplätze in der Region.",
        "Ein Wert über 1 bedeutet mehr Pflegeverhältnisse als Heimunterbringungen (bundesweit etwa 0,7 bis "
        "1,1). " + _HIGH + "; entscheidend ist, dass jedes Kind den passenden Ort findet.",
        _HZE_SRC,
    ),
    _rate(
        "dauer_beendet", "durchschnittliche Dauer beendeter Hilfen", "Leistungen", "Monate", 1, None,
        "ended_n",
        "Zähler: Summe der Dauer aller im Jahr beendeten HzE ohne Erziehungsberatung in Monaten ((Endjahr × 12 + "
        "Endmonat) − (Beginnjahr × 12 + Beginnmonat)); Nenner: Zahl dieser beendeten Hilfen; Mittelwert in "
        "Monaten.",
        "Hilfemix (Heim und Pflegefamilie dauern lange, ambulante Hilfen kürzer), Hilfeplanung, Abbrüche.",
        "Lange Dauer ist bei Pflegeverhältnissen gewollt, bei ambulanten Hilfen ein Anlass zum Nachfragen. "
        + _HIGH + ".",
        _REC_SRC, needs_records=True,
    ),
    _rate(
        "beendet_gemaess_hilfeplan", "Beendigung gemäß Hilfeplan", "Leistungen", "%", 100, "hp_z", "hp_n",
        "Zähler: im Jahr beendete HzE ohne Erziehungsberatung mit Beendigungsgrund 10 (gemäß Hilfeplan); "
        "Nenner: im Jahr beendete HzE mit einem angegebenen Beendigungsgrund außer 40 (Zuständigkeitswechsel); "
        "× 100, in %.",
        "Qualität der Hilfeplanung, Passung der Hilfe, Mitwirkung der Familien, Abbrüche durch Beteiligte.",
        "Ein hoher Anteil spricht für planmäßig abgeschlossene Hilfen (bundesweit etwa 70 %); ein niedriger "
        "ist Anlass, die Abbruchgründe anzusehen. Veränderungen in Prozentpunkten.",
        _REC_SRC, needs_records=True,
    ),
    _rate(
        "transfer_quote", "begonnene Hilfen mit Transferleistungen", "Leistungen", "%", 100, "tr_z", "tr_n",
        "Zähler: im Jahr begonnene HzE ohne Erziehungsberatung, deren Familie Transferleistungen bezieht "
        "(Merkmal 1 = ja); Nenner: begonnene HzE mit Angabe ja oder nein (unbekannt zählt nicht); × 100, in %.",
        "Armut und soziale Lage der Familien im Sozialraum (vgl. SGB-II-Quote).",
        "Zeigt, wie stark Hilfen Familien in Armutslagen erreichen. " + _HIGH + ". Veränderungen in "
        "Prozentpunkten.",
        _REC_SRC, needs_records=True,
    ),
    _rate(
        "anteil_nach_8a", "begonnene Hilfen nach Gefährdungseinschätzung", "Leistungen", "%", 100, "n8a_z",
        "n8a_n",
        "Zähler: im Jahr begonnene HzE ohne Erziehungsberatung mit vorangegangener Gefährdungseinschätzung nach "
        "§ 8a (1 = ja); Nenner: begonnene HzE mit Angabe ja oder nein; × 100, in %.",
        "Zahl der Gefährdungsmeldungen, Praxis des Kinderschutzes, Zugang über andere Wege.",
        "Ein hoher Anteil zeigt, dass viele Hilfen aus dem Kinderschutz heraus beginnen. " + _HIGH
        + ". Veränderungen in Prozentpunkten.",
        _REC_SRC, needs_records=True,
    ),
    # ---------------------------------------------------------------- Ressourcen
    Indicator(
        "ausgaben_hze", "Ausgaben HzE", "Ressourcen", "EUR", False,
        "Summe der Ist-Ausgaben (brutto, EUR) der Hilfen zur Erziehung ohne Erziehungsberatung im Jahr: Zeilen "
        "mit Art der Hilfe 04–16, den Segmenten außer EB oder „gesamt“. Eine fehlende Code- oder Segmentzeile "
        "zählt als 0.",
        "Zahl, Art und Dauer der Hilfen, Entgelte der Träger, Tarifentwicklung.",
        "Die Ausgaben folgen vor allem dem Hilfemix; stationäre Hilfen sind der teure Teil. Hohe Ausgaben sind "
        "nicht von sich aus ein Zeichen schlechter Steuerung.",
        _KOSTEN_SRC,
    ),
    _rate(
        "ausgaben_je_u21", "Ausgaben je Einwohner unter 21", "Ressourcen", "EUR", 1, None, "u21",
        "Zähler: Ausgaben HzE (ausgaben_hze, EUR); Nenner: " + _U21 + "; in EUR je Einwohner unter 21.",
        "Hilfedichte, Hilfemix und Kosten je Fall.",
        "Macht Ausgaben unterschiedlich großer Kommunen vergleichbar. " + _HIGH + ".",
        _KOSTEN_SRC + " Nenner: " + _POP, nenner_population=True,
    ),
    _kosten_je_fall("ambulant", "ambulant", "amb", "04–07, 12, 14, 16"),
    _kosten_je_fall("teilstationaer", "teilstationär", "teil", "08"),
    _kosten_je_fall("stationaer", "stationär", "stat", "09–11, 15"),
    _kosten_je_fall("35a", "§ 35a", "p35a", "13"),
    _rate(
        "haushalt_ausschoepfung", "Ausschöpfung des Ansatzes", "Ressourcen", "%", 100, None, None,
        "Zähler: Ist-Ausgaben der HzE ohne Erziehungsberatung; Nenner: Haushaltsansatz (Plan) derselben Zeilen; "
        "nur Zeilen mit einem Ansatz zählen; × 100, in %.",
        "Fallzahlentwicklung im Jahr, Entgeltsteigerungen, Genauigkeit der Planung.",
        "Über 100 % wurde mehr ausgegeben als geplant, unter 100 % weniger. Abweichungen sagen mehr über die "
        "Planung als über die fachliche Arbeit. Veränderungen in Prozentpunkten.",
        "Tabellenblatt „Kosten“ (Spalten „Ausgaben (EUR)“ und „Ansatz (EUR)“).",
    ),
    _rate(
        "faelle_je_vollzeitstelle", "laufende Fälle je Vollzeitstelle ASD", "Ressourcen", "Fälle", 1,
        "laufend_team", None,
        "Zähler: am 31.12. laufende HzE ohne Erziehungsberatung in den Sozialräumen des ASD-Teams; Nenner: "
        "Vollzeitstellen des Teams abzüglich unbesetzter Stellen; Fälle je besetzter Vollzeitstelle. Jeder "
        "Sozialraum zeigt den Wert seines Teams; „Gesamt“: alle laufenden Hilfen (auch nicht zuordenbare) je "
        "besetzter Stelle aller Teams.",
        "Fallzahlen, Stellenplan, unbesetzte Stellen, Zuschnitt der Teams.",
        "Eine hohe Fallbelastung (bundesweit etwa 28 bis 55) lässt weniger Zeit je Familie; sie sagt nichts "
        "über die Qualität der einzelnen Fachkraft.",
        "Tabellenblätter „Personal“ und „Sozialräume“ (Spalte „Team“), laufende Hilfen aus " + _HZE_SRC,
    ),
    # ---------------------------------------------------------------- Wächteramt
    _count(
        "verfahren_8a", "Gefährdungseinschätzungen § 8a", "Wächteramt", "Verfahren", "v8a",
        "Im Jahr abgeschlossene Gefährdungseinschätzungen nach § 8a SGB VIII: akute + latente "
        "Kindeswohlgefährdung + keine Gefährdung, aber Hilfebedarf + keine Gefährdung und kein Hilfebedarf; "
        "gezählt werden Verfahren, nicht Kinder.",
        "Meldebereitschaft von Schulen, Kitas, Polizei und Nachbarn, Bekanntheit des Kinderschutzes, "
        "Belastungen der Familien.",
        "Viele Verfahren zeigen zunächst, dass hingesehen und gemeldet wird. " + _HIGH + ".",
        _8A_SRC,
    ),
    _rate(
        "verfahren_8a_dichte", "Gefährdungseinschätzungen je 10.000 unter 18", "Wächteramt",
        "je 10.000 unter 18", 10000, "v8a", "u18",
        "Zähler: Gefährdungseinschätzungen § 8a (verfahren_8a); Nenner: " + _U18 + "; × 10.000, je 10.000 "
        "unter 18.",
        "Meldeverhalten, Bekanntheit des Kinderschutzes, soziale Belastung.",
        "Bundesweit etwa 145 je 10.000 unter 18. " + _HIGH + ": viele Meldungen bedeuten nicht viele "
        "Gefährdungen.",
        _8A_SRC + " Nenner: " + _POP, nenner_population=True,
    ),
    _count(
        "kwg_faelle", "festgestellte Kindeswohlgefährdungen", "Wächteramt", "Verfahren", "kwg",
        "Gefährdungseinschätzungen mit dem Ergebnis akute oder latente Kindeswohlgefährdung; Einheit Verfahren.",
        "Belastungen der Familien, Meldeverhalten, Einschätzungspraxis der Fachkräfte.",
        "Die Zahl der Verfahren mit festgestellter Gefährdung; mit der Bevölkerung unter 18 vergleichen "
        "(kwg_dichte).",
        _8A_SRC,
    ),
    _rate(
        "kwg_quote", "Anteil festgestellter Gefährdungen", "Wächteramt", "%", 100, "kwg", "v8a",
        "Zähler: Verfahren mit akuter oder latenter Kindeswohlgefährdung; Nenner: alle Gefährdungseinschätzungen "
        "(verfahren_8a); × 100, in %.",
        "Qualität der Meldungen (viele unbegründete Meldungen senken den Anteil), Einschätzungspraxis.",
        "Bundesweit etwa 30 %. Ein niedriger Anteil kann eine hohe Meldebereitschaft zeigen. Veränderungen in "
        "Prozentpunkten.",
        _8A_SRC,
    ),
    _rate(
        "akut_quote", "Anteil akuter Gefährdungen", "Wächteramt", "%", 100, "akut", "v8a",
        "Zähler: Verfahren mit akuter Kindeswohlgefährdung; Nenner: alle Gefährdungseinschätzungen; × 100, in %.",
        "Schwere der gemeldeten Situationen, Einschätzungspraxis.",
        "Zeigt den Anteil der Verfahren mit sofortigem Handlungsbedarf. Veränderungen in Prozentpunkten.",
        _8A_SRC,
    ),
    _rate(
        "hilfebedarf_quote", "Verfahren mit Hilfebedarf", "Wächteramt", "%", 100, "hb", "v8a",
        "Zähler: Verfahren mit akuter oder latenter Gefährdung oder mit Hilfebedarf ohne Gefährdung; Nenner: alle "
        "Gefährdungseinschätzungen; × 100, in %.",
        "Belastungen der Familien, Meldeverhalten, Einschätzungspraxis.",
        "Ein hoher Anteil zeigt, dass die meisten Meldungen zu einem Unterstützungsbedarf führen. " + _HIGH
        + ". Veränderungen in Prozentpunkten.",
        _8A_SRC,
    ),
    _rate(
        "kwg_dichte", "Kindeswohlgefährdungen je 10.000 unter 18", "Wächteramt", "je 10.000 unter 18", 10000,
        "kwg", "u18",
        "Zähler: festgestellte Kindeswohlgefährdungen (kwg_faelle); Nenner: " + _U18 + "; × 10.000, je 10.000 "
        "unter 18.",
        "Belastungen der Familien, Meldeverhalten, Einschätzungspraxis.",
        "Länder und Kreise liegen zwischen etwa 4 und über 100. " + _HIGH + ": er kann auch zeigen, dass "
        "Gefährdungen erkannt werden.",
        _8A_SRC + " Nenner: " + _POP, nenner_population=True,
    ),
    _count(
        "inobhutnahmen", "Inobhutnahmen § 42 / § 42a", "Wächteramt", "Maßnahmen", "io",
        "Im Jahr beendete Inobhutnahmen nach § 42 und vorläufige Inobhutnahmen nach § 42a (unbegleitete "
        "Einreise); Einheit Maßnahmen.",
        "Akute Krisen in Familien, Einreise unbegleiteter Minderjähriger, Bereitschaftsdienste, Polizei.",
        "Die Zahl schwankt stark mit der Einreise unbegleiteter Minderjähriger; dafür den Wert ohne "
        "unbegleitete Einreise ansehen.",
        _42_SRC,
    ),
    _rate(
        "inobhutnahmen_dichte", "Inobhutnahmen je 10.000 unter 18", "Wächteramt", "je 10.000 unter 18", 10000,
        "io", "u18",
        "Zähler: Inobhutnahmen (inobhutnahmen); Nenner: " + _U18 + "; × 10.000, je 10.000 unter 18.",
        "Krisen in Familien, Einreise unbegleiteter Minderjähriger.",
        "Bundesweit etwa 45 je 10.000 unter 18 einschließlich unbegleiteter Minderjähriger. " + _HIGH + ".",
        _42_SRC + " Nenner: " + _POP, nenner_population=True,
    ),
    _rate(
        "inobhutnahmen_ohne_uma_dichte", "Inobhutnahmen ohne unbegleitete Einreise je 10.000 unter 18",
        "Wächteramt", "je 10.000 unter 18", 10000, "io_ohne_uma", "u18",
        "Zähler: Inobhutnahmen abzüglich „davon nach unbegleiteter Einreise“; Nenner: " + _U18 + "; × 10.000, "
        "je 10.000 unter 18.",
        "Akute Krisen in Familien, Kinderschutzpraxis, Bereitschaftspflege.",
        "Der Wert für den Kinderschutz vor Ort (bundesweit etwa 25 bis 30). " + _HIGH + ".",
        _42_SRC + " Nenner: " + _POP, nenner_population=True,
    ),
    _rate(
        "anteil_io_kurz", "Inobhutnahmen bis 2 Wochen", "Wächteramt", "%", 100, "kurz", "io",
        "Zähler: Inobhutnahmen, die innerhalb von 2 Wochen beendet wurden; Nenner: alle Inobhutnahmen; × 100, "
        "in %.",
        "Schnelle Klärung und Rückkehr, Verfügbarkeit von Anschlusshilfen, Anteil unbegleiteter Minderjähriger.",
        "Bundesweit endet etwa die Hälfte innerhalb von zwei Wochen. Lange Inobhutnahmen deuten oft auf "
        "fehlende Anschlussplätze. Veränderungen in Prozentpunkten.",
        _42_SRC,
    ),
    _rate(
        "anteil_io_rueckkehr", "Rückkehr zu den Sorgeberechtigten", "Wächteramt", "%", 100, "rueckkehr", "io",
        "Zähler: Inobhutnahmen mit anschließender Rückkehr zu den Sorgeberechtigten; Nenner: alle "
        "Inobhutnahmen; × 100, in %.",
        "Anlass der Inobhutnahme, Krisenarbeit mit den Eltern, Anteil unbegleiteter Minderjähriger.",
        "Ein hoher Anteil zeigt, dass Krisen oft in der Familie gelöst werden. " + _HIGH + ". Veränderungen in "
        "Prozentpunkten.",
        _42_SRC,
    ),
]

CATALOGUE: dict[str, Indicator] = {ind.id: ind for ind in _LIST}
IDS: tuple[str, ...] = tuple(sorted(CATALOGUE))  # sorted by id, the output order within a row group


def short_label(label: str, unit: str | None) -> str:
    """The label without a trailing unit it already names ("Inobhutnahmen je 10.000 unter 18" with unit
    "je 10.000 unter 18" -> "Inobhutnahmen"), so titles and axes that add the unit do not repeat it."""
    if unit and label.endswith(" " + unit) and len(label) > len(unit) + 1:
        return label[: -len(unit) - 1]
    return label


def get(indicator_id: str) -> Indicator:
    """The catalogue entry; raises KeyError with a German message for an unknown id."""
    try:
        return CATALOGUE[indicator_id]
    except KeyError:
        raise KeyError(f"Unbekannter Indikator: {indicator_id!r}") from None


def by_section() -> dict[str, list[Indicator]]:
    """Indicators grouped by section, in the order of the contract."""
    return {s: [i for i in _LIST if i.section == s] for s in SECTIONS}
