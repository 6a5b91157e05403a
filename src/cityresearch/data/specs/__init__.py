"""One module per source; each defines ``DATASETS``, a list of specs.

The data layer discovers every module here (:func:`cityresearch.data.datasets`).
To add a dataset: pin its files in ``_resources/registry.csv`` (URL, SHA-256,
licence, citation), write a module with its parser and ``Dataset`` spec, and a
test on its real values. Nothing else lists datasets.
"""
