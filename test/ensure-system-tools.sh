#!/bin/sh
# Makes sure the tests have the Debian tools they use: chromium at /usr/bin/chromium plus a small
# Chinese font (WenQuanYi Micro Hei) for the end-to-end tests and screenshots, and COIN-OR CBC
# (/usr/bin/cbc), the native solver that independently re-solves exported full models, and Poppler
# (pdftotext, pdftoppm) to render the audit PDFs the tests check, and PostgreSQL, the production mode's
# database the API tests run on a second time (test/ensure-postgres.sh starts a throwaway server).
# Installs with apt-get only when something is missing and we are root
# (CI containers); otherwise it does nothing and says what is missing.
set -eu

need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
[ -x /usr/bin/cbc ] || need="$need coinor-cbc"
[ -x /usr/bin/pdftotext ] && [ -x /usr/bin/pdftoppm ] || need="$need poppler-utils"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
if command -v fc-list >/dev/null 2>&1; then
  [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ] || need="$need fonts-wqy-microhei"
else
  need="$need fonts-wqy-microhei"
fi

[ -z "$need" ] && exit 0

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-tools: missing$need (not root or no apt-get: install them yourself; the browser and cross-solver tests fail without them)" >&2
  exit 0
fi

echo "ensure-system-tools: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends $need >/dev/null
