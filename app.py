"""Boussole: page config, the shared sidebar, navigation."""

import streamlit as st

from ui import layout

st.set_page_config(page_title="Boussole", page_icon="🧭", layout="wide")
lang = layout.sidebar()
page = layout.navigation(lang)
layout.banner(lang, page)
page.run()
