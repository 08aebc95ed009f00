#!/usr/bin/env bash
# Prepare what the whole suite needs (Chromium, a throw-away PostgreSQL database), then run pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# --- Chromium (Debian's package; Playwright drives it, it never downloads its own browser) ---
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo ">> Chromium fehlt: installiere Debians Paket 'chromium' ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/tmp/strategiekarte-apt.log 2>&1 \
      || { echo "!! Chromium konnte nicht installiert werden (siehe /tmp/strategiekarte-apt.log)."; exit 1; }
  else
    echo "!! Chromium fehlt. Bitte als root 'apt-get install chromium' ausführen (die Browsertests brauchen es)."
    exit 1
  fi
fi

# --- poppler-utils (pdftoppm, pdftotext): the report tests turn the PDF into pictures and text ---
if ! command -v pdftoppm >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo ">> pdftoppm/pdftotext fehlen: installiere Debians Paket 'poppler-utils' ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >>/tmp/strategiekarte-apt.log 2>&1 \
      || { echo "!! poppler-utils konnte nicht installiert werden (siehe /tmp/strategiekarte-apt.log)."; exit 1; }
  else
    echo "!! pdftoppm/pdftotext fehlen. Bitte als root 'apt-get install poppler-utils' ausführen (die Berichtstests brauchen es)."
    exit 1
  fi
fi

# --- PostgreSQL: a throw-away database for this run ---
PGHOST=127.0.0.1; PGPORT=5432
pg_up() { pg_isready -q -h $PGHOST -p $PGPORT 2>/dev/null || $PY -c "import psycopg; psycopg.connect('postgresql://postgres@$PGHOST:$PGPORT/postgres', connect_timeout=3).close()" 2>/dev/null; }
if ! pg_up; then
  echo ">> PostgreSQL antwortet nicht, versuche es zu starten ..."
  if [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>&1 || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_up && break; sleep 1; done
  fi
fi
DBNAME="strategiekarte_test_$$"
if pg_up; then
  $PY - "$DBNAME" <<'PYEOF' || { echo "!! Konnte die Testdatenbank nicht anlegen."; exit 1; }
import sys, psycopg
with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
    c.execute(f'CREATE DATABASE "{sys.argv[1]}"')
PYEOF
  export TEST_DATABASE_URL="postgresql+psycopg://postgres@$PGHOST:$PGPORT/$DBNAME"
  echo ">> PostgreSQL-Tests laufen gegen $TEST_DATABASE_URL"
else
  echo "############################################################################"
  echo "!! PostgreSQL ist auf $PGHOST:$PGPORT NICHT erreichbar."
  echo "!! Die Speicher- und Importtests gegen PostgreSQL können nicht laufen."
  echo "!! Der Testlauf gilt darum als FEHLGESCHLAGEN (ALLOW_NO_POSTGRES=1 erlaubt es lokal)."
  echo "############################################################################"
  [ "${ALLOW_NO_POSTGRES:-0}" = "1" ] || exit 1
fi

export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
$PY -m pytest -q -p no:cacheprovider "$@"
rc=$?

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  $PY - "$DBNAME" <<'PYEOF' >/dev/null 2>&1
import sys, psycopg
with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}" WITH (FORCE)')
PYEOF
fi
exit $rc
