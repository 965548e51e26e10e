#!/usr/bin/env bash
# Web-vulnerability scan of the development server with wapiti (issue 9, "Done when").
#
# For every account (anonymous, deputy, methodist by default) a throwaway clone of this
# repository's committed HEAD gets its own SQLite database with the demo data and its own
# `runserver` on 127.0.0.1, so the scanner's POSTs never touch the working tree's database.
# wapiti (PyPI wapiti3, in its own venv outside the project) crawls and attacks each server with
# its default modules, scope = domain, logout excluded. In wapiti 3.2 --max-scan-time bounds the
# crawl only, so the attacks get --max-attack-time per module: CRAWL_SECONDS (180) plus
# ATTACK_SECONDS (60) for each of the eight active default modules, about 11 minutes a run. The
# JSON report (<account>.json) and the HTML one (<account>-html/) go to REPORT_DIR; the summary
# of findings by severity is printed, with the 500s of the server logs, and the script exits 1 when any finding is high or critical (wapiti level >= 3), 2 when a scan
# could not run or its login did not take.
#
#   scripts/wapiti_scan.sh                       # all three accounts in parallel, about 11 minutes
#   ATTACK_SECONDS=20 ACCOUNTS="anonymous" scripts/wapiti_scan.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
WAPITI_VENV=${WAPITI_VENV:-/tmp/wapiti-venv}
WAPITI_VERSION=${WAPITI_VERSION:-3.2.3}
REPORT_DIR=${REPORT_DIR:-/tmp/wapiti-reports}
CRAWL_SECONDS=${CRAWL_SECONDS:-180}
ATTACK_SECONDS=${ATTACK_SECONDS:-60}
BASE_PORT=${BASE_PORT:-8300}
ACCOUNTS=${ACCOUNTS:-"anonymous deputy methodist"}
DEMO_PASSWORD=${DEMO_PASSWORD:-demo-iom-2026}

WAPITI=$WAPITI_VENV/bin/wapiti

# wapiti3 3.2.x supports Python 3.10-3.12; it lives in its own venv, never in requirements*.txt.
if [ ! -x "$WAPITI" ]; then
    wpy=""
    for c in python3.12 python3.11 python3.10 python3; do
        if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))'; then
            wpy=$c; break
        fi
    done
    if [ -z "$wpy" ]; then echo "wapiti needs Python 3.10-3.12 for its venv; none found" >&2; exit 2; fi
    echo "Installing wapiti3==$WAPITI_VERSION into $WAPITI_VENV ($wpy)"
    "$wpy" -m venv "$WAPITI_VENV"
    "$WAPITI_VENV/bin/pip" install -q "wapiti3==$WAPITI_VERSION"
fi

WORK=$(mktemp -d /tmp/wapiti-portal.XXXXXX)
SERVER_PIDS=()
cleanup() {
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$REPORT_DIR"
SERVER_ENV=(env -u DATABASE_URL -u REDIS_URL -u SECRET_KEY -u ALLOWED_HOSTS DEBUG=true)

start_portal() {  # $1 = account, $2 = port: a demo copy served on 127.0.0.1:$2
    local dir=$WORK/$1
    git clone -q "$ROOT" "$dir"
    (cd "$dir" && "${SERVER_ENV[@]}" "$PY" manage.py migrate -v0 --noinput \
        && "${SERVER_ENV[@]}" "$PY" manage.py load_demo) >"$REPORT_DIR/$1.setup.log" 2>&1
    (cd "$dir" && exec "${SERVER_ENV[@]}" "$PY" manage.py runserver "127.0.0.1:$2" --noreload) \
        >"$REPORT_DIR/$1.server.log" 2>&1 &
    SERVER_PIDS+=($!)
}

wait_portal() {  # $1 = port
    for _ in $(seq 60); do
        curl -sf -o /dev/null "http://127.0.0.1:$1/healthz/live" && return 0
        sleep 1
    done
    echo "the portal on port $1 did not start" >&2
    return 1
}

scan() {  # $1 = account, $2 = port
    local base=http://127.0.0.1:$2/ auth=() name=$1
    if [ "$name" != anonymous ]; then
        auth=(--form-url "${base}accounts/login/" --form-user "$name" --form-password "$DEMO_PASSWORD")
    fi
    # The session folder is per account and flushed, and wapiti appends to its log: every run
    # starts from nothing.
    rm -rf "$REPORT_DIR/$name".{json,log,out} "$REPORT_DIR/$name-html"
    "$WAPITI" -u "$base" --scope domain -x "${base}accounts/logout/" "${auth[@]}" \
        --max-scan-time "$CRAWL_SECONDS" --max-attack-time "$ATTACK_SECONDS" --flush-session --store-session "$REPORT_DIR/session-$name" \
        --no-bugreport -v 1 --log "$REPORT_DIR/$name.log" -f json -o "$REPORT_DIR/$name.json" \
        >"$REPORT_DIR/$name.out" 2>&1
    # The same findings as HTML, from the stored session, without crawling or attacking again.
    "$WAPITI" -u "$base" --scope domain --skip-crawl -m "" --store-session "$REPORT_DIR/session-$name" \
        --no-bugreport -v 0 -f html -o "$REPORT_DIR/$name-html" >>"$REPORT_DIR/$name.out" 2>&1 || true
}

accounts=($ACCOUNTS)
scan_pids=()
for i in "${!accounts[@]}"; do
    start_portal "${accounts[$i]}" $((BASE_PORT + i))
done
for i in "${!accounts[@]}"; do
    wait_portal $((BASE_PORT + i))
    scan "${accounts[$i]}" $((BASE_PORT + i)) &
    scan_pids+=($!)
done
echo "wapiti $WAPITI_VERSION: scanning ${accounts[*]} (crawl ${CRAWL_SECONDS}s, ${ATTACK_SECONDS}s per attack module), reports in $REPORT_DIR"
for pid in "${scan_pids[@]}"; do wait "$pid" || true; done

# wapiti's log names every URL it fetched: a logged-in crawl reaches the notifications page
# linked from every page header, an anonymous one never does (wapiti's own "Login failed"
# warning only looks for an English "log out" text, which the Russian UI does not have).
for i in "${!accounts[@]}"; do
    name=${accounts[$i]}
    if [ "$name" != anonymous ] && ! grep -q "GET http://127.0.0.1:$((BASE_PORT + i))/notifications/ " "$REPORT_DIR/$name.log"; then
        echo "$name: the scan never reached a logged-in page (login failed?), see $REPORT_DIR/$name.log" >&2
        login_failed=1
    fi
done

status=0
"$WAPITI_VENV/bin/python" - "$REPORT_DIR" "${accounts[@]}" <<'EOF' || status=$?
import json
import sys
from collections import Counter
from pathlib import Path

LEVELS = {4: "critical", 3: "high", 2: "medium", 1: "low", 0: "info"}
report_dir, accounts = Path(sys.argv[1]), sys.argv[2:]
missing, worst = [], 0
for account in accounts:
    path = report_dir / f"{account}.json"
    if not path.exists():
        missing.append(account)
        print(f"\n== {account}: NO REPORT (see {report_dir / (account + '.out')})")
        continue
    report = json.loads(path.read_text())
    print(f"\n== {account}: {report['infos'].get('crawled_pages_nbr', '?')} pages crawled, {path}")
    counts = Counter()
    lines = []
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, findings in report.get(section, {}).items():
            for finding in findings:
                level = int(finding.get("level", 0))
                worst = max(worst, level)
                counts[level] += 1
                if level >= 1:
                    lines.append((level, f"  [{LEVELS.get(level, level)}] {category}: {finding['method']} "
                                         f"{finding['path']} {finding.get('parameter') or ''} - {finding['info']}"))
    print("  " + ", ".join(f"{LEVELS[level]} {counts[level]}" for level in sorted(LEVELS, reverse=True)))
    for _, line in sorted(lines, key=lambda item: -item[0]):
        print(line[:300])
if missing:
    sys.exit(2)
sys.exit(1 if worst >= 3 else 0)
EOF
# wapiti counts a 500 only on the URLs it attacks; the crawl's own 500s are in the server logs.
for name in "${accounts[@]}"; do
    errors=$(grep -h "^Internal Server Error: " "$REPORT_DIR/$name.server.log" | sed -E 's#/[0-9]+/#/<id>/#g' | sort | uniq -c || true)
    if [ -n "$errors" ]; then
        echo -e "\n== $name: server errors (500) during the scan, see $REPORT_DIR/$name.server.log\n$errors"
    fi
done
if [ "${login_failed:-0}" = 1 ] && [ "$status" = 0 ]; then status=2; fi
case $status in
    0) echo -e "\nwapiti: no high-severity finding" ;;
    1) echo -e "\nwapiti: HIGH-SEVERITY FINDINGS above" ;;
    *) echo -e "\nwapiti: a scan did not run completely" ;;
esac
exit "$status"
