# Ketenregie: the two commands of the README, plus a few helpers.
.PHONY: run test uv lint typecheck scale bench

PORT ?= 8000
UV := python3 -m uv

uv:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --quiet

# gunicorn, the production server: WEB_CONCURRENCY workers (default 2 x cores + 1), static
# files collected into var/static and served by whitenoise. DJANGO_DEBUG=1 keeps Django's
# development server (reloading templates, debug pages). "draait op" is printed by gunicorn
# once it listens (config/gunicorn.py). Links in mails follow the served PORT (core.mail).
run: uv
	@mkdir -p var
	@KETENREGIE_DEMO=1 $(UV) run python manage.py migrate --no-input -v0
	@KETENREGIE_DEMO=1 $(UV) run python manage.py load_demo --if-empty
	@KETENREGIE_DEMO=1 $(UV) run python manage.py collectstatic --no-input -v0
	@KETENREGIE_DEMO=1 $(UV) run python manage.py demo_logins
	@echo "Ketenregie start op http://127.0.0.1:$(PORT)/ ..."
	@if [ "$${DJANGO_DEBUG:-0}" = "1" ]; then \
	  KETENREGIE_DEMO=1 DJANGO_DEBUG=1 $(UV) run python manage.py runserver 127.0.0.1:$(PORT) --noreload; \
	else \
	  KETENREGIE_DEMO=1 DJANGO_DEBUG=0 WEB_CONCURRENCY=$${WEB_CONCURRENCY:-$$(( 2 * $$(nproc) + 1 ))} \
	    exec $(UV) run gunicorn config.wsgi:application --config config/gunicorn.py \
	    --bind 127.0.0.1:$(PORT) \
	    --threads $${GUNICORN_THREADS:-2} --log-level warning; \
	fi

test: uv
	@bash scripts/test.sh

lint: uv
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports

typecheck: uv
	$(UV) run mypy .

# `make bench` (100,000 cases; long) or `make bench QUICK=1` (10,000 cases; about 5 minutes).
bench: uv
	@QUICK=$(QUICK) bash scripts/bench.sh

scale: uv
	$(UV) run python manage.py generate_scale --cases $${CASES:-100000}
