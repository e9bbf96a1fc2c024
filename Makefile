# cskit — set-up, tests and the month-end chain.
#   make demo   create .venv, install cskit, run the monthly chain on samples/ into out/
#   make test   create .venv, install cskit with its test tools, run the tests
#   make bench  benchmarks (see bench/README.md); BEFORE=REV also times git revision REV

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CSKIT  := $(BIN)/cskit
AS_OF  ?= 2026-10-31
PERIOD ?= 2026-10
NEXT_FROM ?= 2026-11-01
NEXT_TO   ?= 2026-11-30
OUT    := out

.PHONY: all demo test bench venv clean samples

all: test

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: setup.py $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q -n 2 -p no:cacheprovider tests

samples: $(VENV)/.installed
	$(BIN)/python -m cskit.samples --out samples

$(OUT):
	mkdir -p $(OUT)

# --- the month-end chain: each step's inputs are the previous step's files,
# so `make demo` after changing one input rebuilds only what depends on it.
S := samples

$(OUT)/defaults/.done: $(VENV)/.installed | $(OUT)
	mkdir -p $(OUT)/defaults
	for kind in credit aging kpi visit; do $(CSKIT) defaults $$kind > $(OUT)/defaults/$$kind.toml; done
	touch $@

$(OUT)/credit.csv: $(S)/customers.xlsx $(S)/credit_previous.csv $(VENV)/.installed | $(OUT)
	$(CSKIT) score-credit $(S)/customers.xlsx --previous $(S)/credit_previous.csv --as-of $(AS_OF) -o $@
	$(CSKIT) score-credit $(S)/customers.xlsx --previous $(S)/credit_previous.csv --as-of $(AS_OF) -q -o $(OUT)/credit.xlsx

$(OUT)/aging.csv: $(S)/invoices.csv $(S)/payments_gbk.csv $(OUT)/credit.csv \
		$(S)/projects_invoices.csv $(S)/projects_payments.csv $(S)/schedule.csv $(S)/fx_rates.csv
	$(CSKIT) aging-report $(S)/invoices.csv --payments $(S)/payments_gbk.csv --as-of $(AS_OF) \
	    --credit-limits $(OUT)/credit.csv -o $@
	$(CSKIT) aging-report $(S)/invoices.csv --payments $(S)/payments_gbk.csv --as-of $(AS_OF) \
	    --credit-limits $(OUT)/credit.csv -q -o $(OUT)/aging.xlsx
	$(CSKIT) aging-report $(S)/invoices.csv --payments $(S)/payments_gbk.csv --as-of $(AS_OF) \
	    --credit-limits $(OUT)/credit.csv --detail -q -o $(OUT)/collections.csv
	$(CSKIT) aging-report $(S)/projects_invoices.csv --payments $(S)/projects_payments.csv \
	    --schedule $(S)/schedule.csv --fx-rates $(S)/fx_rates.csv --as-of $(AS_OF) \
	    -o $(OUT)/aging_projects.xlsx

# score-credit again, after aging-report, with the receivables as exposure: holds for
# customers over their limit or overdue beyond their term. A separate file, since
# aging-report takes its limits from out/credit.csv (no cycle).
$(OUT)/credit_hold.csv: $(S)/customers.xlsx $(S)/credit_previous.csv $(OUT)/aging.csv
	$(CSKIT) score-credit $(S)/customers.xlsx --previous $(S)/credit_previous.csv --as-of $(AS_OF) \
	    --exposure $(OUT)/aging.csv -o $@

$(OUT)/kpi.xlsx: $(S)/org.csv $(S)/complaints.xlsx $(S)/surveys.csv $(S)/sales.csv \
		$(S)/invoices.csv $(S)/payments_gbk.csv $(S)/measures.csv $(S)/appraisals.csv $(OUT)/aging.csv
	$(CSKIT) rollup-kpi --org $(S)/org.csv --complaints $(S)/complaints.xlsx --surveys $(S)/surveys.csv \
	    --sales $(S)/sales.csv --invoices $(S)/invoices.csv --payments $(S)/payments_gbk.csv \
	    --measures $(S)/measures.csv --appraisals $(S)/appraisals.csv --period $(PERIOD) -o $@

$(OUT)/visits.xlsx: $(OUT)/credit.csv $(OUT)/aging.csv $(S)/staff.csv $(S)/transactions.csv $(S)/shipments.csv
	$(CSKIT) visit-plan $(OUT)/credit.csv --from $(NEXT_FROM) --to $(NEXT_TO) --staff $(S)/staff.csv \
	    --transactions $(S)/transactions.csv --shipments $(S)/shipments.csv \
	    --credit $(OUT)/credit.csv --aging $(OUT)/aging.csv -o $@

$(OUT)/monthly.html: $(OUT)/credit.csv $(OUT)/aging.csv $(OUT)/kpi.xlsx $(OUT)/visits.xlsx
	$(CSKIT) render-report monthly $(OUT)/credit.xlsx $(OUT)/aging.xlsx $(OUT)/kpi.xlsx $(OUT)/visits.xlsx \
	    --lang zh --title "$(PERIOD) 客服部月度报告" -o $@
	$(CSKIT) render-report monthly $(OUT)/credit.xlsx $(OUT)/aging.xlsx $(OUT)/kpi.xlsx $(OUT)/visits.xlsx \
	    --lang zh --title "$(PERIOD) 客服部月度报告" -o $(OUT)/monthly.docx

# --- the reconciliation loop (seed 004 第四条(3) 每季度对账完成率、对账及时率 100%):
# statements for the third quarter and their register; the register as the team
# filled it in (samples/register.csv: some back late, one refused, four never);
# the two KPIs per owner and the unreturned list; the credit effect (拒绝 −3,
# compared with out/credit.csv, the same scoring without the register); and
# collection letters from the aging's open items.
Q      ?= 2026-Q3
Q_FROM ?= 2026-07-01
Q_TO   ?= 2026-09-30
Q_SENT ?= 2026-10-08

$(OUT)/statements/register.csv: $(S)/invoices.csv $(S)/payments_gbk.csv $(S)/customers.csv \
		$(S)/company.toml $(VENV)/.installed | $(OUT)
	$(CSKIT) render-report statement $(S)/invoices.csv --payments $(S)/payments_gbk.csv \
	    --customers $(S)/customers.csv --from $(Q_FROM) --to $(Q_TO) --as-of $(Q_SENT) \
	    --policy $(S)/company.toml --lang zh -o $(OUT)/statements/

$(OUT)/reconciliation.xlsx: $(S)/org.csv $(S)/register.csv $(OUT)/statements/register.csv
	$(CSKIT) rollup-kpi --org $(S)/org.csv --confirmations $(S)/register.csv --period $(Q) \
	    --as-of $(AS_OF) -o $@

$(OUT)/credit_confirmed.csv: $(S)/customers.xlsx $(S)/register.csv $(OUT)/credit.csv
	$(CSKIT) score-credit $(S)/customers.xlsx --confirmations $(S)/register.csv \
	    --previous $(OUT)/credit.csv --as-of $(AS_OF) -o $@

$(OUT)/letters/letters.csv: $(OUT)/aging.csv $(S)/company.toml
	$(CSKIT) render-report dunning $(OUT)/collections.csv --as-of $(AS_OF) \
	    --policy $(S)/company.toml --lang zh -o $(OUT)/letters/

LOOP_STEPS := $(OUT)/statements/register.csv $(OUT)/reconciliation.xlsx \
              $(OUT)/credit_confirmed.csv $(OUT)/letters/letters.csv

DEMO_STEPS := $(OUT)/defaults/.done $(OUT)/credit.csv $(OUT)/aging.csv $(OUT)/credit_hold.csv \
              $(OUT)/kpi.xlsx $(OUT)/visits.xlsx $(OUT)/monthly.html $(LOOP_STEPS)

demo: $(DEMO_STEPS)
	@echo "demo: the month-end chain ran into $(OUT)/"
	@ls -l $(OUT)

bench: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py $(if $(BEFORE),--before $(BEFORE))

clean:
	rm -rf $(OUT)
