#!/usr/bin/env bash
# The wheel as a user gets it: build it, install it (not editable) in a fresh virtual
# environment, and run what a new user runs first: khaldun demo, khaldun extract on a text,
# an HTML and a JSON Lines file, and khaldun serve (its pages and static files answer).
# Any failure exits non-zero. Usage: .ci/wheel-smoke.sh [PYTHON]; prints the wheel's size.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${1:-${PYTHON:-python3.11}}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
WORK="$(mktemp -d -t khaldun-wheel-XXXXXX)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "wheel-smoke: $*" >&2; }
started=$(date +%s)

# Build from the committed tree (what a clean checkout gives), else from a copy of this folder.
mkdir "$WORK/src"
if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
    git archive HEAD | tar xf - -C "$WORK/src"
else
    tar cf - --exclude=./.venv --exclude=./.git . | tar xf - -C "$WORK/src"
fi
"$PYTHON" -m pip wheel -q --no-deps "$WORK/src" -w "$WORK/dist" >&2
WHEEL="$(ls "$WORK"/dist/khaldun-*.whl)"
SIZE=$(stat -c %s "$WHEEL")
log "built $(basename "$WHEEL"): $SIZE bytes ($(( SIZE / 1024 / 1024 )) MiB)"
if [ "$SIZE" -gt $(( 80 * 1024 * 1024 )) ]; then
    log "the wheel is over 80 MiB"; exit 1
fi

"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q "$WHEEL" >&2
log "installed in a fresh virtual environment after $(( $(date +%s) - started )) s"
K="$WORK/venv/bin/khaldun"

# Run away from the checkout, so nothing can be imported from it.
cd "$WORK"
"$K" demo >demo.out
grep -q . demo.out || { log "khaldun demo printed nothing"; exit 1; }

# One run over a text, an HTML and a JSON Lines file (the models load once): each gives its event.
mkdir reports
cat >reports/aleppo.txt <<'EOF'
Government troops clashed with rebel fighters in Aleppo on Monday, killing nine fighters, a monitoring group said.
EOF
cat >reports/idlib.html <<'EOF'
<!doctype html><html><head><title>Clashes near Idlib</title>
<meta property="article:published_time" content="2024-03-19T08:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Clashes near Idlib</h1>
<p>Des affrontements ont opposé l'armée syrienne aux rebelles à Idleb lundi, faisant quatre morts parmi les
combattants, selon une ONG.</p><p>Les combats ont duré jusqu'au soir, selon des habitants.</p></article></body></html>
EOF
printf '%s\n' '{"id": "gao-1", "text": "Rebels attacked an army post near Gao on Sunday, killing three soldiers.", "publication_date": "2024-03-18", "language": "en"}' >reports/more.jsonl
"$K" extract reports --date 2024-03-19 --format jsonl -o events.jsonl
"$WORK/venv/bin/python" - events.jsonl <<'EOF'
import json, sys
found = {json.loads(line)["doc_id"] for line in open(sys.argv[1], encoding="utf-8")}
if found != {"aleppo", "idlib", "gao-1"}:
    sys.exit(f"wheel-smoke: khaldun extract: events from {sorted(found)}, expected aleppo, idlib and gao-1")
EOF

# The workbench from the installed package: pages, static files and vendored assets answer.
export KHALDUN_SECRET_FILE="$WORK/session.key"
printf 'a long smoke-test passphrase\n' | "$K" user add ana --role admin --password-stdin --db "$WORK/w.db" >/dev/null
PORT=$("$WORK/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$K" serve --db "$WORK/w.db" --port "$PORT" >serve.log 2>&1 &
SERVER_PID=$!
"$WORK/venv/bin/python" - "$PORT" <<'EOF'
"""Wait for the server, then fetch the sign-in page and static assets; exit 1 on anything wrong."""
import sys
import time
import urllib.error
import urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"
for _ in range(120):
    try:
        urllib.request.urlopen(base + "/login", timeout=2)
        break
    except (urllib.error.URLError, ConnectionError):
        time.sleep(0.5)
checks = {"/login": "Sign in", "/static/map.js": "markerClusterGroup", "/static/khaldun.css": "",
          "/static/vendor/leaflet/leaflet.js": "Leaflet", "/static/vendor/world-atlas/countries-50m.json": "countries",
          "/openapi.json": "/api/events"}
for path, expected in checks.items():
    with urllib.request.urlopen(base + path, timeout=10) as response:
        body = response.read().decode("utf-8", "replace")
        if response.status != 200 or expected not in body:
            sys.exit(f"wheel-smoke: {path}: status {response.status}, {expected!r} missing")
        if "default-src 'none'" not in response.headers.get("Content-Security-Policy", ""):
            sys.exit(f"wheel-smoke: {path}: no Content-Security-Policy")
print(f"wheel-smoke: served {len(checks)} pages and assets", file=sys.stderr)
EOF
log "passed in $(( $(date +%s) - started )) s"
echo "$SIZE"
