"""Render Sphinx math as MathML at build time (no JavaScript, no CDN).

Sphinx's default HTML math renderer, MathJax, loads a script from a CDN, so
pages built offline would show raw LaTeX. This extension converts every
``math`` role and directive to MathML with ``latex2mathml`` while the page is
written; browsers display MathML natively (Firefox, Chromium 109+, Safari).
"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert


def _mathml(latex: str, *, block: bool) -> str:
    return convert(latex.strip(), display="block" if block else "inline")


def _visit_inline(self, node):
    self.body.append(_mathml(node.astext(), block=False))
    raise nodes.SkipNode


def _visit_block(self, node):
    self.body.append(f'<div class="math-block">{_mathml(node.astext(), block=True)}</div>')
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (_visit_inline, None), (_visit_block, None))
    app.config.html_math_renderer = "mathml"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
