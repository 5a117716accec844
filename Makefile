# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make book   - venv + pinned packages + lecture_code, execute every notebook, build _build/html
#   make test   - the same bootstrap, then the whole test suite
# Versions come from requirements.txt / requirements-test.txt only.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.package-lock.json
export PATH := $(abspath $(BIN)):$(PATH)
PORT ?= 8000

.PHONY: help venv book answer-key pdf student-notebooks assignments grade browser-deps test portability student-runs \
        student-run-colab student-run-floor student-run-download student-run-binder \
        builds serve clean clean-all environment.yml

help:
	@echo "make book                the student site -> _build/html (creates .venv on first use)"
	@echo "make answer-key          the Instructor edition -> _build/answer-key/html and .../singlehtml"
	@echo "make pdf                 the printed course -> _build/pdf (course, answer key, each chapter, summary)"
	@echo "make student-notebooks   the publishable student tree (no solutions) -> _build/student-notebooks"
	@echo "make assignments         one Otter-Grader assignment per exercises page -> _build/assignments/<page>/{student,autograder}"
	@echo "make grade ASSIGNMENT=<page stem> SUBMISSIONS=<folder>   grade every notebook there -> <folder>/grades.csv"
	@echo "make test                the whole test suite (unit tests, nbval, both builds, site checks, portability)"
	@echo "make portability         every notebook under three OpenBLAS kernels x 1 and 2 threads, as a student runs it"
	@echo "make student-runs        the published notebooks on Colab (3.12, newest libraries), at the floor of the"
	@echo "                         dependency ranges, from the site's zip, and in JupyterLab as Binder builds it"
	@echo "make serve  preview the built site on http://localhost:$(PORT)"
	@echo "make clean  remove _build (keeps .venv)"

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . \
	  || $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

venv: $(STAMP)

# The student site: sources with the solutions stripped (tools/editions.py), executed through the cache.
book: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build.py student
	@echo
	@echo "The site is in $(CURDIR)/_build/html (open _build/html/index.html)."
	@echo "Preview it on http://localhost:$(PORT) with: make serve"

answer-key: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build.py answer-key
	@echo "Instructor edition: _build/answer-key/html, printable single page: _build/answer-key/singlehtml/book/intro.html"

# The PDFs, printed by Debian's Chromium from the single-page books; the student PDFs are copied into the site.
pdf: book answer-key
	$(BIN)/python tools/pdf.py

student-notebooks: $(STAMP)
	$(BIN)/python tools/editions.py student

# Otter-Grader assignments from the exercises pages (tools/assignments.py), and grading with them (tools/grade.py).
assignments: $(STAMP)
	$(BIN)/python tools/assignments.py

TIMEOUT ?= 900
JOBS ?= 1
grade: $(STAMP)
	@test -n "$(ASSIGNMENT)" -a -n "$(SUBMISSIONS)" || \
	  { echo "usage: make grade ASSIGNMENT=<exercises page stem> SUBMISSIONS=<folder of notebooks>"; exit 2; }
	@test -d _build/assignments/$(ASSIGNMENT)/autograder || $(MAKE) --no-print-directory assignments
	$(BIN)/python tools/grade.py $(ASSIGNMENT) $(SUBMISSIONS) --timeout $(TIMEOUT) --jobs $(JOBS)

# npm packages pinned in package-lock.json: KaTeX, which typesets the math at build time (node runs it), and
# axe-core for the browser tests. Chromium comes from Debian (.ci/run installs it, with nodejs and npm).
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: the build typesets math with KaTeX under node."; \
	  echo "Install Node.js and npm (Debian: sudo apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

browser-deps: $(NODE_STAMP)
	@test -x /usr/bin/chromium || command -v chromium >/dev/null || \
	  echo "Chromium is missing: the browser tests will be skipped. Install it with: sudo apt-get install chromium"

# Every notebook under other BLAS kernels and thread counts (tools/portability.py) while the sites, the PDFs and the
# assignments are built one after the other (much of a build keeps one core busy: Sphinx, pip, a print); then unit
# tests, every notebook under nbval (cells of one notebook stay on one worker), the site and browser checks, the
# assignments (every page's tests against every catalogued mistake; one page graded end to end by otter run); then
# the published notebooks away from this venv (student-runs).
test: $(STAMP) $(NODE_STAMP)
	@$(MAKE) --no-print-directory -j2 builds portability
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 --dist loadscope --nbval-lax tests book
	@$(MAKE) --no-print-directory student-runs

# One after the other (MAKEFLAGS emptied: no jobserver): they share the build's trees and execution caches.
builds: $(STAMP) $(NODE_STAMP)
	@MAKEFLAGS= $(MAKE) --no-print-directory book answer-key pdf assignments browser-deps

portability: $(STAMP)
	$(BIN)/python tools/portability.py

# The published student notebooks away from this venv (tools/student_runs.py, tools/binder_run.py), the four runs
# at once: each spends much of its time installing into an environment of its own, which leaves the cores to the
# others' notebooks. Each prints its report when it ends. The download run needs the site's zip: make book first
# (make test does).
STUDENT_RUNS := colab floor download binder
student-runs: $(STAMP)
	@$(MAKE) --no-print-directory -j$(words $(STUDENT_RUNS)) $(addprefix student-run-,$(STUDENT_RUNS))

student-run-colab student-run-floor student-run-download: $(STAMP)
	$(BIN)/python tools/student_runs.py $(@:student-run-%=%)

student-run-binder: $(STAMP)
	$(BIN)/python tools/binder_run.py

serve:
	@test -f _build/html/index.html || { echo "No site yet: run 'make book' first."; exit 1; }
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# environment.yml (read by Binder) is generated from requirements.txt; a test checks they agree.
environment.yml: requirements.txt tools/make_environment.py
	$(PYTHON) tools/make_environment.py > $@

clean:
	rm -rf _build

clean-all: clean
	rm -rf $(VENV)
