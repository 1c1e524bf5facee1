"""Boussole: page config, the shared sidebar, navigation."""

import streamlit as st

from ui import layout

st.set_page_config(page_title="Boussole", page_icon="🧭", layout="wide")
page = layout.navigation()
lang = layout.sidebar(page)
layout.banner(lang, page)
page.run()
