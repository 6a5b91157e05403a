"""One module per source; each defines ``DATASETS``, a list of specs.

The data layer discovers every module here (:func:`cityresearch.data.datasets`).
To add a dataset: write a module with its parser and ``Dataset`` spec, which
declares the files it reads (``pinned=(PinnedFile(key=..., url=...,
sha256=..., bytes=..., license=..., citation=...),)``), and a test on its
real values; then run ``python -m cityresearch.data._docs`` to regenerate the
dataset tables and the ``CITATION.cff`` references. Nothing else lists
datasets or files (``_resources/registry.csv`` holds the files pinned before
specs declared their own).
"""
