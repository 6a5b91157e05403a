# Thin wrapper around tasks.py, which needs nothing but Python 3.11+.
.PHONY: report test lab setup docs
report:
	python3 tasks.py report
test:
	python3 tasks.py test
lab:
	python3 tasks.py lab
setup:
	python3 tasks.py setup
docs:
	python3 tasks.py docs
