"""The chrome every page shares: navigation, sidebar (kept in the URL), sample banner, empty states."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from kpi_core import currency, formatting
from kpi_core.formatting import LANGUAGES, filter_label, filters_text, month_name, period_label
from kpi_core.i18n import t
from kpi_core.i18n_streamlit import STREAMLIT_FRENCH
from kpi_core.periods import Granularity, parse_period, period_containing
from kpi_core.schemas import DATASETS
from ui import report, state, url

# (section, [(file, title key, url path, icon)]); the first indicator page opens by default.
PAGES = (
    ("section.indicators", (
        ("views/home.py", "page.home", "home", ":material/dashboard:"),
        ("views/funnel.py", "page.funnel", "funnel", ":material/filter_alt:"),
        ("views/revenue.py", "page.revenue", "revenue", ":material/euro:"),
        ("views/retention.py", "page.retention", "retention", ":material/loyalty:"),
    )),
    ("section.analysis", (
        ("views/compare.py", "page.compare", "compare", ":material/compare_arrows:"),
        ("views/activity.py", "page.activity", "activity", ":material/call:"),
        ("views/team.py", "page.team", "team", ":material/groups:"),
        ("views/economics.py", "page.economics", "economics", ":material/account_balance:"),
    )),
    ("section.plan", (
        ("views/targets.py", "page.targets", "targets", ":material/flag:"),
        ("views/custom.py", "page.custom", "custom", ":material/add_chart:"),
    )),
    ("section.data", (
        ("views/upload.py", "page.upload", "upload", ":material/upload_file:"),
        ("views/data.py", "page.data", "data", ":material/table_view:"),
    )),
)
HOME = PAGES[0][1][0][0]
UPLOAD_PAGE = next(path for _, pages in PAGES for path, _, url, _ in pages if url == "upload")


STYLE = (Path(__file__).parent / "style.css").read_text(encoding="utf-8")
PAGE_SCRIPT = (Path(__file__).parent / "page.js").read_text(encoding="utf-8")

# Pages named for a granularity open on it (the sidebar still changes it while there).
PAGE_GRANULARITY = {"activity": Granularity.WEEK, "team": Granularity.MONTH, "economics": Granularity.QUARTER}


def navigation():
    """The pages (in the language the URL or the browser gives; their links are drawn by `sidebar`); arriving on
    a page named for a granularity switches to it, unless the URL that brought the user says otherwise."""
    restored = url.restore()
    lang = state.lang()
    page = st.navigation({
        t(section, lang): [
            st.Page(path, title=t(title, lang), url_path=url, icon=icon, default=path == HOME)
            for path, title, url, icon in pages
        ]
        for section, pages in PAGES
    }, position="hidden")
    previous = st.session_state.get("page")
    st.session_state["page"] = page.url_path
    # A link or a Back/Forward brings its own granularity (a URL without one says "month").
    by_url = restored == "restored" or (restored == "opened" and "granularity" in st.query_params)
    if previous != page.url_path and page.url_path in PAGE_GRANULARITY and not by_url:
        st.session_state["granularity"] = PAGE_GRANULARITY[page.url_path].value
    return page


def sidebar(page) -> str:
    """Language, granularity, period, filters and retention window, all kept in the URL (with the page's own
    choices)."""
    links = st.sidebar.empty()  # drawn last, once the URL this run writes is known
    if not state.ready():  # a first visit: the frame and a word while the sample company is read
        with links.container(key="page_links_opening"):
            _page_links(state.lang())
        with st.spinner(t("loading.sample", state.lang())):
            state.session()
    currency.use(state.session().currency)  # every amount of this run in the loaded data's currency
    with st.sidebar:
        st.segmented_control("🌐", LANGUAGES, key="lang", format_func=str.upper, required=True,
                             label_visibility="collapsed")
        lang = state.lang()
        granularities = [g.value for g in Granularity]
        st.segmented_control(t("sidebar.granularity", lang), granularities, key="granularity", required=True,
                             format_func=lambda g: t(f"granularity.{g}", lang))
        periods = state.available_periods()
        options = [period.key for period in periods]
        if options:
            key = state.period_key()
            _carry_period(key, options)
            labels = {period.key: period_label(period, lang) for period in periods}
            st.selectbox(t("sidebar.period", lang), options, key=key, format_func=labels.get)
            st.session_state["shown_period"] = st.session_state[key]
        st.subheader(t("sidebar.filters", lang))
        session = state.session()
        for dimension in state.FILTER_DIMENSIONS:
            values = session.values_across(DATASETS, dimension)
            key = f"filter_{dimension}"
            if key in st.session_state:  # values from a URL or an earlier dataset may not exist here
                st.session_state[key] = [v for v in st.session_state[key] if v in values]
            if values:
                st.multiselect(t(f"dimension.{dimension}", lang), values, key=key, placeholder=t("filter.all", lang))
        st.number_input(t("sidebar.retention_window", lang), min_value=1, max_value=12, step=1,
                        key="retention_window", help=t("sidebar.retention_help", lang))
        if "fiscal_start_saved" in st.session_state:  # a mapping file was loaded
            st.session_state["fiscal_start"] = st.session_state.pop("fiscal_start_saved")
            _keep_fiscal_start()
        st.selectbox(t("sidebar.fiscal_start", lang), range(1, 13), key="fiscal_start",
                     format_func=lambda month: month_name(month, lang), help=t("sidebar.fiscal_help", lang),
                     on_change=_keep_fiscal_start)
        state.saved_mapping().fiscal_year_start = state.fiscal_start()  # saved with the mapping
        report.controls(lang)
        _page_script(lang)
    url.save(page.url_path)
    with links.container(key="page_links"):
        _page_links(lang)
    return lang


def _page_links(lang: str) -> None:
    """The pages by section, each link keeping the view (period, filters…): Streamlit's own navigation drops the
    URL's parameters, so going back after a page change would lose them."""
    view = url.here()
    for section, pages in PAGES:
        st.caption(t(section, lang))
        for path, title, _, icon in pages:
            st.page_link(path, label=t(title, lang), icon=icon, query_params=view)
    st.divider()


def _page_script(lang: str) -> None:
    """The app's style sheet, the page's language and Streamlit's own strings in it (ui/page.js), at the foot of
    the sidebar where its empty block takes no room from the page."""
    settings = json.dumps({"css": STYLE, "lang": lang, "words": STREAMLIT_FRENCH}).replace("</", "<\\/")
    st.html(f"<script>window.BOUSSOLE = {settings};\n{PAGE_SCRIPT}</script>", unsafe_allow_javascript=True)


_FINENESS = {Granularity.WEEK: 0, Granularity.MONTH: 1, Granularity.QUARTER: 2}


def _keep_fiscal_start() -> None:
    """Quarters counted from another month: the old quarters' keys name other months now, so the latest is shown."""
    for key in ("period_quarter", "shown_period"):
        st.session_state.pop(key, None)


def _carry_period(key: str, options: list[str]) -> None:
    """Each granularity has its own period widget, so switching never rewrites a live widget: a new one starts on
    the period holding the one the user was looking at (May → Q2) or, going finer, the latest one inside it
    (October → its last week), else the latest."""
    if st.session_state.get(key) in options:
        return
    shown, granularity, fiscal_start = st.session_state.get("shown_period"), state.granularity(), state.fiscal_start()
    try:
        before = parse_period(shown, fiscal_start=fiscal_start) if shown else None
    except ValueError:
        before = None
    carried = None
    if before is not None and _FINENESS[granularity] < _FINENESS[before.granularity]:
        carried = next((o for o in options
                        if before.contains(parse_period(o, granularity, fiscal_start).start)), None)
    elif before is not None:
        carried = period_containing(before.start, granularity, fiscal_start).key
    # Pre-setting a widget to its own default made Streamlit 1.67 drop the next click (seen in the browser
    # test), so the latest period is left to the widget's default.
    if carried in options and carried != options[0]:
        st.session_state[key] = carried
    else:
        st.session_state.pop(key, None)


_FLASH = {"success": st.success, "warning": st.warning, "info": st.info}


def banner(lang: str, page) -> None:
    """Messages left by the previous page (files loaded), and the sample-data notice (with a way to the
    upload page, except on it)."""
    for kind, text in st.session_state.pop("flash", []):
        _FLASH[kind](text)
    if not state.using_sample():
        return
    if page.url_path == "upload":
        st.info(t("sample.banner", lang), icon=":material/science:")
        return
    text, button = st.columns([5, 1], vertical_alignment="center")
    text.info(t("sample.banner", lang), icon=":material/science:")
    if button.button(t("sample.use_own", lang), key="use_own_files"):
        st.switch_page(UPLOAD_PAGE, query_params=url.here())


def period_title(key: str, analysis, lang: str, datasets: tuple[str, ...], *,
                 partial_note: str = "card.partial") -> None:
    """The page title with its period; the view as chips (period, granularity, each filter removable, "Effacer les
    filtres"); while the period is in progress, how much of it has elapsed and how it is compared fairly; the
    filters the page's `datasets` cannot apply, named."""
    st.title(t(key, lang, period=period_label(analysis.period, lang)))
    _view_chips(analysis, lang)
    if note := formatting.partial_note(analysis.windows.current, lang, partial_note):
        st.caption(note)
    filters = analysis.selection.filters
    if unapplied := analysis.unapplied_filters(datasets):
        text = filters_text({d: filters[d] for d in unapplied}, lang, unapplied=unapplied,
                            datasets=[d for d in datasets if analysis.session.has(d)], markdown=True)
        st.caption(t("filters.active", lang, filters=text), help=t("filters.help", lang))


def _view_chips(analysis, lang: str) -> None:
    """Period and granularity, then one chip per filter that its cross removes, and a way to clear them all."""
    filters = analysis.selection.filters
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="view_chips"):
        granularity = t(f"granularity.{analysis.selection.granularity.value}", lang)
        st.badge(f"{period_label(analysis.period, lang)} · {granularity}", icon=":material/calendar_month:",
                 color="gray", help=t("view.period_help", lang))
        for dimension, values in filters.items():
            st.button(filter_label(dimension, values, lang, most=3, markdown=True), key=f"chip_{dimension}",
                      icon=":material/close:", icon_position="right", on_click=_drop_filters, args=(dimension,),
                      help=t("filters.remove", lang, filter=filter_label(dimension, values, lang, markdown=True)))
        if filters:
            st.button(t("filters.clear", lang), key="chip_clear", type="tertiary", icon=":material/filter_alt_off:",
                      on_click=_drop_filters, args=tuple(filters))


def _drop_filters(*dimensions: str) -> None:
    for dimension in dimensions:
        st.session_state[f"filter_{dimension}"] = []


def require(datasets: tuple[str, ...], lang: str, *, any_of: bool = False) -> None:
    """Stop the page with a friendly message when a dataset it needs is not loaded (with `any_of`, when none of
    them is)."""
    session = state.session()
    missing = [d for d in datasets if not session.has(d)]
    if missing and not (any_of and len(missing) < len(datasets)):
        st.info(t("empty.dataset", lang, datasets=", ".join(t(f"dataset.{d}", lang) for d in missing)),
                icon=":material/info:")
        link, sample = st.columns(2)
        link.page_link(UPLOAD_PAGE, label=t("page.upload", lang), icon=":material/upload_file:",
                       query_params=url.here())
        if not state.using_sample() and sample.button(t("sample.restore", lang), icon=":material/science:"):
            state.restore_sample()
            st.rerun()
        st.stop()
