# Every target runs on the project's pinned Node 22 (npm package node@22): its bin folder comes first on PATH.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

LEGACY_DB_URL ?= mysql://root@127.0.0.1:3306
export LEGACY_DB_URL
# node:sqlite (fauxqs, the FiberConnect stand-in) is stable enough here; its warning is noise on every start.
export NODE_OPTIONS := --disable-warning=ExperimentalWarning
# Variables of `make seed`, `make migrate` and friends (CUSTOMER, DRY_RUN=1...) reach the scripts through the
# environment by themselves: make exports what it was given on its command line or found in its environment.

.PHONY: install build typecheck lint format check test test-unit test-integration test-e2e test-suites test-localstack seed target-api migrate report redrive verify rollback stop follow bench bench-scale bench-standin clean clean-old

# npm ci only when the lock file (or a patch of patches/, which npm ci's postinstall applies) is newer
# than the last install: keeps repeated make calls fast.
node_modules/.install-stamp: package-lock.json $(wildcard patches/*.patch)
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.install-stamp

build: install
	tsx scripts/build.ts

typecheck: install
	tsc -p tsconfig.json

# ESLint's rules, then Biome's formatter in check mode: a file it would format differently fails (make format applies it).
lint: install
	eslint .
	biome format .

format: install
	biome format --write .

test-unit: install
	mocha 'test/unit/**/*.test.ts'

# Integration tests start processes, emulators and browsers: their default timeout is a safety net for a loaded
# machine (unit and static tests keep .mocharc.json's 20 s; a test that needs longer says so with this.timeout).
INTEGRATION_TIMEOUT_MS := 120000
test-integration: install
	mocha --timeout $(INTEGRATION_TIMEOUT_MS) 'test/integration/**/*.test.ts'

# The real state machines and bundles on the embedded runtime: needs `build`. Each file runs in a mocha
# process of its own with its own customer and ports (E2E_FILES in test/e2e/helpers.ts), as many at once as
# fit the machine (TEST_JOBS, default auto: three per core within the free memory), the slowest of the last
# run first (a clean clone: test/durations.json, which a passing run rewrites); a file's output is printed
# in one piece when it ends, and the run ends with each file's wall and CPU time and the five tests
# closest to their timeouts. Every e2e file sets its own mocha timeout.
TEST_JOBS ?= auto
test-e2e: install build
	tsx scripts/test-files.ts --jobs $(TEST_JOBS) --times .local/test-times/e2e.json test/e2e

# make test's last step: the integration suite in one process (its files share the emulators' ports and
# customers) but for its files that run whole workflows (first line `// Runs alone:`), each in a process of
# its own, beside the e2e files: the waits of one leave the CPU to another.
test-suites: install build
	tsx scripts/test-files.ts --jobs $(TEST_JOBS) --times .local/test-times/suites.json --baseline test/durations.json --whole test/integration test/e2e -- --timeout $(INTEGRATION_TIMEOUT_MS)

# The fast loop: type-check, lint, unit and static tests side by side (no database, no emulators, no build).
check: install
	@$(MAKE) --no-print-directory -j 4 --output-sync=target typecheck lint test-unit test-static

# The checks and the build side by side (each one's output in one piece), then the suites, which need the build.
test: install
	@$(MAKE) --no-print-directory -j 4 --output-sync=target typecheck lint test-unit test-static build
	@$(MAKE) --no-print-directory test-suites

# The same end-to-end suite against the Terraform stack applied to LocalStack (needs Docker and terraform).
test-localstack: install
	bash scripts/test-localstack.sh

seed: install
	tsx scripts/seed.ts

target-api: install
	tsx scripts/target-api.ts

# One run per customer at a time: a second migrate, rollback or redrive of a customer whose run goes on is refused (exit 2).
# migrate, report, redrive and rollback exit 0 (completed), 1 (failed or stopped run) or 2 (bad input, unreachable at the start);
# make turns every failure into its own 2, so scripts call `npx fiberplan-migrate migrate|report|redrive|rollback` (bin/).
migrate: install build
	tsx scripts/migrate.ts

report: install build
	tsx scripts/report.ts

# A run of its own: the target switched off, CUSTOMER's dead letters back (no other customer's), restored, the report written again.
redrive: install build
	tsx scripts/redrive.ts

# Stops CUSTOMER's running run (another terminal's, or a stage's with STAGE=) and restores the target's workflows and e-mail.
stop: install
	tsx scripts/stop.ts

# Follows CUSTOMER's running run (started elsewhere, or detached by Ctrl-C) to its report.
follow: install
	tsx scripts/follow.ts

# verify exits 0 (nothing missing or stray), 1 (some are: each listed) or 2 (bad input); `npx fiberplan-migrate verify` gives the code itself.
verify: install build
	tsx scripts/verify.ts

# Removes what the engine created for CUSTOMER (rollback.json and rollback.html); exit codes as migrate's.
rollback: install build
	tsx scripts/rollback.ts

bench: install build
	tsx scripts/bench.ts

# Not part of make test: SCALE=20 and 200 (about 1.08 M rows), hours on this machine (tooling/bench, scripts/bench-scale.ts).
bench-scale: install build
	tsx scripts/bench-scale.ts

bench-standin: install
	tsx scripts/bench-standin.ts

clean:
	rm -rf dist .local reports

# Removes local reports, failed payloads, document claim checks and dry-run ledger entries older than DAYS days
# (a stage expires them by itself: terraform retention_days). Refused while a local command holds a target's runtime.
clean-old: install
	tsx scripts/clean-old.ts

# Terraform
.PHONY: test-static docs tf-docs tf-validate tf-stage tf-plan tf-apply tf-destroy

# Static checks of terraform/ without a terraform binary (hcl2json, asl-validator, our rules): tooling/static/terraform.ts.
test-static: install
	mocha 'test/static/**/*.test.ts'

# Writes the inputs/outputs tables (terraform-docs style, between its markers) of terraform/README.md and each
# module README from variables.tf and outputs.tf; make test-static fails when they differ.
tf-docs: install
	tsx scripts/tf-docs.ts

# Every generated table of the docs: the Terraform READMEs' (tf-docs), then docs/run-options.md (src/profile/run-options.ts)
# and docs/environment-variables.md (the CLI's and the functions' variables), between their markers; make test-static fails when one differs.
docs: tf-docs
	tsx scripts/docs.ts

# With terraform on PATH: fmt check, init (no backend) and validate per environment, then
# `terraform test` of the root module (a plan with the real provider and no AWS account; needs `make build`).
# Without it: says so and runs the static checks instead.
TF_ENVIRONMENTS := stage localstack
tf-validate: install
	@if command -v terraform >/dev/null 2>&1; then \
	  set -e; \
	  terraform fmt -check -recursive terraform; \
	  for env in $(TF_ENVIRONMENTS); do \
	    echo "terraform validate: environments/$$env"; \
	    terraform -chdir=terraform/environments/$$env init -backend=false -input=false >/dev/null; \
	    terraform -chdir=terraform/environments/$$env validate; \
	  done; \
	  $(MAKE) --no-print-directory build; \
	  terraform -chdir=terraform init -backend=false -input=false >/dev/null; \
	  terraform -chdir=terraform test; \
	else \
	  echo "terraform is not installed: skipping fmt/init/validate/test; running the static checks instead (make test-static, also part of make test)"; \
	  $(MAKE) --no-print-directory test-static; \
	fi

# One stage on AWS, e.g. `make tf-apply STAGE=dev`: dev and prod share terraform/environments/stage;
# the stage's backend (<stage>.s3.tfbackend, its own state) and its settings (<stage>.tfvars) always
# go together. A git-ignored <stage>.secret.tfvars is passed too when it exists.
TF_STAGE_DIR := terraform/environments/stage
tf-plan tf-apply tf-destroy: tf-stage build
	terraform -chdir=$(TF_STAGE_DIR) init -reconfigure -input=false -backend-config=$(STAGE).s3.tfbackend
	terraform -chdir=$(TF_STAGE_DIR) $(@:tf-%=%) -var-file=$(STAGE).tfvars $(if $(wildcard $(TF_STAGE_DIR)/$(STAGE).secret.tfvars),-var-file=$(STAGE).secret.tfvars)

# Refuses, before any build, a STAGE without its two files or a machine without terraform.
tf-stage:
	@test -n "$(STAGE)" -a -f "$(TF_STAGE_DIR)/$(STAGE).tfvars" -a -f "$(TF_STAGE_DIR)/$(STAGE).s3.tfbackend" || \
	  { echo "STAGE must name a stage with $(TF_STAGE_DIR)/<stage>.tfvars and <stage>.s3.tfbackend (dev, prod)"; exit 2; }
	@command -v terraform >/dev/null || { echo "terraform is not installed"; exit 2; }
