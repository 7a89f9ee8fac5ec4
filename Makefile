# Ketenregie: the two commands of the README, plus a few helpers.
.PHONY: run test uv lint typecheck scale bench

PORT ?= 8000
UV := python3 -m uv

uv:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --quiet

run: uv
	@mkdir -p var
	@KETENREGIE_DEMO=1 $(UV) run python manage.py migrate --no-input -v0
	@KETENREGIE_DEMO=1 $(UV) run python manage.py load_demo --if-empty
	@KETENREGIE_DEMO=1 $(UV) run python manage.py demo_logins
	@echo "Ketenregie draait op http://127.0.0.1:$(PORT)/"
	@KETENREGIE_DEMO=1 DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(UV) run python manage.py runserver 127.0.0.1:$(PORT) --noreload

test: uv
	@bash scripts/test.sh

lint: uv
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports

typecheck: uv
	$(UV) run mypy .

scale: uv
	$(UV) run python manage.py generate_scale --cases $${CASES:-100000}
