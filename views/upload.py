"""Upload & mapping: the user's own exports in, mapped, validated, then loaded into this session only."""

import streamlit as st

from kpi_core import currency
from kpi_core.formatting import format_value
from kpi_core.i18n import t
from kpi_core.mapping import Mapping
from kpi_core.reader import MB
from ui import layout, state, upload, url

lang = state.lang()
st.title(t("upload.title", lang))
st.markdown(t("upload.intro", lang))
per_file, total = upload.limits()
files = st.file_uploader(t("upload.files", lang), type=["csv", "txt", "tsv", "xlsx", "parquet", "gz", "zip"],
                         accept_multiple_files=True, key="uploads", max_upload_size=upload.uploader_limit_mb(),
                         help=t("upload.files_help", lang, limit_mb=per_file // MB, total_mb=total // MB))
files = upload.within_limits(files or [], lang)
with st.expander(t("upload.settings", lang)):
    stages_column, mapping_column = st.columns(2)
    with stages_column:
        stages = upload.stage_editor(lang)
    with mapping_column:
        upload.mapping_upload(lang)

data_files, lookups = upload.split_lookups([upload.Upload(file.getvalue(), file.name) for file in files])
cards = [upload.file_card(file, stages, lang, lookups) for file in data_files]
joins = [join for _, used in cards for join in used]
for table in lookups:
    upload.lookup_card(table, joins, lang)
prepared = [part for part, _ in cards if part is not None]
usable = [part for part in prepared if part.usable]
if files:
    rows = {}
    for part in usable:
        rows[part.dataset] = rows.get(part.dataset, 0) + len(part.accepted)
    items = [t("upload.ready_item", lang, dataset=t(f"dataset.{d}", lang), rows=format_value(n, "count", lang))
             for d, n in rows.items()]
    st.markdown(t("upload.ready", lang, datasets=", ".join(items)) if items else t("upload.nothing_usable", lang))
    load_column, mapping_column = st.columns(2)
    saved = state.saved_mapping()  # what the download holds: the saved mapping with this upload's choices
    current = Mapping(list(saved.files), stages, list(saved.custom_kpis), list(saved.lookups))
    for part in prepared:
        current.remember(part.mapping)
    for join in joins:
        current.remember_join(join)
    mapping_column.download_button(t("upload.download_mapping", lang), current.to_json(), "boussole-mapping.json",
                                   "application/json", icon=":material/download:")
    try:
        currency.common([part.currency for part in usable])
    except ValueError as mix:
        st.error(t("currency.mix_files", lang, currencies=str(mix)), icon=":material/currency_exchange:")
        usable = []
    if load_column.button(t("upload.load", lang), type="primary", disabled=not usable, icon=":material/upload:"):
        left_out = state.load_files(usable, stages, joins)
        upload.release()
        state.flash("success", t("upload.loaded", lang, datasets=", ".join(items)))
        if left_out:
            examples = ", ".join(dict.fromkeys(problem.value for problem in left_out[:5]))
            state.flash("warning", t("upload.duplicates", lang, count=len(left_out), examples=examples))
        st.switch_page(layout.HOME, query_params=url.here(period=False))  # the view, on the new data's latest period
if not state.using_sample() and st.button(t("sample.restore", lang), icon=":material/science:"):
    state.restore_sample()
    st.rerun()
