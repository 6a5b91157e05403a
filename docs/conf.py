"""Sphinx configuration of the cityresearch documentation (see docs/README.md).

Build with ``python3 tasks.py docs`` (HTML in ``docs/_build/html``). The build
is offline: no intersphinx inventories are fetched, math is rendered to MathML
at build time (no MathJax from a CDN), and the theme's assets are bundled.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "src"))  # document this checkout's source, not an installed copy
sys.path.insert(0, str(DOCS / "_ext"))

import cr_generate  # noqa: E402

import cityresearch  # noqa: E402

project = "cityresearch"
author = "cityresearch developers"
copyright = "cityresearch developers (MIT licence; data keep their own licences)"  # noqa: A001
release = cityresearch.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_nb",
    "mathml",  # docs/_ext/mathml.py: MathML at build time, no JavaScript
]

# -- generated pages (API reference from the package, one page per dataset) ------------
cr_generate.write_api()
cr_generate.write_datasets()

# The stored, executed notebooks are shown as they are (not re-executed here).
_nb_out = DOCS / "notebooks"
_nb_out.mkdir(exist_ok=True)
for _old in _nb_out.glob("*.ipynb"):
    _old.unlink()
for _nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
    shutil.copy2(_nb, _nb_out / _nb.name)

# -- sources ------------------------------------------------------------------------------
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "_ext", "README.md", "**/.ipynb_checkpoints", "jupyter_execute"]
root_doc = "index"
# policy.py's docstrings write absolute values as |d| and |t*|, which reStructuredText
# reads as substitutions; render them literally until the docstrings say ``|d|``.
rst_prolog = r"""
.. |d| replace:: \|d\|
.. |t*| replace:: \|t*\|
"""

# -- MyST / MyST-NB -----------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "dollarmath", "deflist"]
myst_heading_anchors = 3
# Tutorials (MyST markdown, no stored outputs) are executed at every build ("auto"
# executes only documents without outputs); the notebooks in notebooks/ are stored
# executed and validated by nbval, so they are shown as stored and never re-run here.
# CITYRESEARCH_DOCS_EXECUTE=off builds without running anything (tasks.py docs does
# that when the data cannot be reached, and says so).
nb_execution_mode = os.environ.get("CITYRESEARCH_DOCS_EXECUTE", "auto")
nb_execution_excludepatterns = ["notebooks/*"]
nb_execution_timeout = 600
nb_execution_in_temp = True  # files a tutorial writes (CSV, PNG) stay out of the source tree
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
nb_ipywidgets_js = {}  # never load require.js / widget managers from a CDN

# -- autodoc / autosummary / numpydoc -----------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"  # numpydoc's Parameters section says the types, with units
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# -- HTML ---------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"cityresearch {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_static_path: list[str] = []
html_show_sourcelink = False
