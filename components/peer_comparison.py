"""A tenant's own figures against its peer group (data_models/peer_groups.py), on its Übersicht.

Who sees what (privacy.md, indicators.md; decisions where the contract is silent):
- Only members and admins of a real office that **consented** to the programme comparison and is **confirmed** (so
  it is a participant itself: whoever looks at the others' distribution shares its own values). Others get one
  sentence why not (consent on „Teilen und Workshops“, confirmation by the coordination).
- The band: lower quartile, median and upper quartile of the group, only from 5 values on; never minimum,
  maximum, another office's value or name. The group is described in words (type and third of the SGB-II-Quote),
  without the cut points of the thirds (with few offices a cut point is one office's quota).
- The own value is the office's exact `GESAMT` value (what its KPI tiles show); the band is made of the
  participants' suppressed comparison values, the office's own included.
- The demo municipality is fictitious and takes no part in the comparison: its Übersicht says what a consenting
  office would see here, with no band. Workshop guests (a link to a real office) see no comparison at all: the
  distribution of other offices is for the office's own staff, not for a workshop audience.

`band_rows` is pure; `render_own_comparison` draws with Streamlit.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from components.theme import decimals_for, fmt_value, md_escape
from data_models.indicators.catalogue import CATALOGUE
from data_models.peer_groups import METHOD_EXPLANATION, MIN_MEMBERS_TENANT, TenantComparison, position_text

HEADING = "Vergleich mit ähnlichen Jugendämtern"
DEMO_TEXT = ("In der Demo-Kommune gibt es keinen Vergleich mit anderen Jugendämtern (Musterstadt ist erfunden). Ein "
             "Jugendamt, das am Programmvergleich teilnimmt, sieht hier, wo seine Werte in der Gruppe "
             "strukturähnlicher Jugendämter liegen: Median und mittlere Hälfte, ohne Namen.")
NO_CONSENT_TEXT = ("Ihr Jugendamt nimmt nicht am Programmvergleich teil, deshalb gibt es hier keinen Vergleich mit "
                   "ähnlichen Jugendämtern. Wer teilnimmt, sieht hier Median und mittlere Hälfte seiner "
                   "Vergleichsgruppe (ohne Namen). Die Zustimmung gibt die Administration Ihres Jugendamts auf der "
                   "Seite „Teilen und Workshops“.")
NOT_CONFIRMED_TEXT = ("Ihr Jugendamt hat dem Programmvergleich zugestimmt, ist aber noch nicht von der "
                      "Programmkoordination bestätigt. Den Vergleich mit ähnlichen Jugendämtern gibt es hier, "
                      "sobald es bestätigt ist.")
TOO_FEW_TEXT = ("Kein Vergleichsband für {year}: zu wenige vergleichbare Jugendämter. In Ihrer Vergleichsgruppe "
                f"haben weniger als {MIN_MEMBERS_TENANT} Jugendämter Werte; zum Schutz einzelner Jugendämter wird "
                "dann kein Band gezeigt.")
ROW_COLUMNS = ["Kennzahl", "Einheit", "Ihr Wert", "unteres Quartil", "Median", "oberes Quartil", "Lage"]


def band_rows(comparison: TenantComparison, own: Mapping[str, float | None]) -> pd.DataFrame:
    """One row of German text per indicator of the comparison: the own value, the group's quartiles and median,
    and where the own value lies; an indicator without a band says so (no figure of the group)."""
    rows = []
    for ind, b in (comparison.bands or {}).items():
        unit = CATALOGUE[ind].unit
        dec = decimals_for(unit)
        value = own.get(ind)
        if b is None:
            rows.append([CATALOGUE[ind].label, unit, fmt_value(value, dec), "–", "–", "–",
                         f"kein Band (unter {MIN_MEMBERS_TENANT} Werten)"])
            continue
        rows.append([CATALOGUE[ind].label, unit, fmt_value(value, dec), fmt_value(b.q1, dec),
                     fmt_value(b.median, dec), fmt_value(b.q3, dec), position_text(value, b, short=True)])
    return pd.DataFrame(rows, columns=ROW_COLUMNS, dtype=object)


def render_own_comparison(ctx, year: int, own: Mapping[str, float | None], source: str) -> None:
    """The section of the Übersicht: the group in words, a table of the key indicators against the group's band,
    and the band chart of one chosen indicator; or one sentence why there is none. `own`: the tenant's own
    `GESAMT` values of `year` by indicator (missing ones count as no value)."""
    import streamlit as st

    from components import data_access, session
    from components.bands import render_band

    tenant = ctx.tenant
    if tenant is None or ctx.public:
        return  # workshop guests: no comparison with other offices
    if not tenant.is_demo and ctx.role not in ("admin", "member"):
        return
    st.subheader(f"{HEADING} {int(year)}")
    if tenant.is_demo:
        st.caption(DEMO_TEXT)
        return
    if not tenant.consent:
        st.info(NO_CONSENT_TEXT, icon=":material/group_off:")
        if session.allowed(ctx, "manage_settings"):
            st.page_link("pages/teilen.py", label="Zu „Teilen und Workshops“", icon=":material/share:")
        return
    if not tenant.confirmed:
        st.info(NOT_CONFIRMED_TEXT, icon=":material/pending:")
        return
    cmp = data_access.tenant_comparison(ctx, year)
    if cmp.status == "nicht_im_vergleich":  # consent or confirmation changed while the page was open
        st.info(NOT_CONFIRMED_TEXT, icon=":material/pending:")
        return
    if cmp.status == "keine_gruppe":
        st.info(f"Keine Vergleichsgruppe für {int(year)}: {cmp.begruendung}", icon=":material/info:")
        return
    st.markdown(f"**Ihre Vergleichsgruppe:** {md_escape(cmp.gruppe_text)} – {cmp.mitglieder} Jugendämter. "
                f"{md_escape(cmp.begruendung)}")
    with st.expander("Wie wird die Vergleichsgruppe gebildet?"):
        st.markdown(METHOD_EXPLANATION)
    shown = cmp.shown()
    if not shown:
        st.info(TOO_FEW_TEXT.format(year=int(year)), icon=":material/info:")
        return
    table = band_rows(cmp, own)
    from components.tables import render_table

    render_table(table, key="sk_vergleichsband_tabelle",
                 caption="Median und mittlere Hälfte (unteres bis oberes Quartil) der Vergleichsgruppe, „Lage“: "
                         "wo Ihr Wert darin liegt. Minimum, Maximum und Namen anderer Jugendämter werden nicht "
                         "gezeigt. Ein hoher Wert ist für sich genommen weder gut noch schlecht.")
    chosen = st.selectbox("Kennzahl im Vergleichsband", shown, format_func=lambda i: CATALOGUE[i].label,
                          key="sk_vergleichsband_kennzahl")
    ind = CATALOGUE[chosen]
    render_band(cmp.bands[chosen], own.get(chosen), ind.label, ind.unit, year=int(year), group_label="Vergleichsgruppe",
                key="sk_vergleichsband", indicator=chosen,
                source=f"{source} · Vergleichsgruppe: Programmvergleich (Gesamtwerte)")
