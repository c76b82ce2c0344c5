#!/usr/bin/env bash
# Writes libreoffice_crm.xlsx the way LibreOffice does: the openpyxl workbook opened and saved
# by LibreOffice Calc (shared strings, its own styles, formulas with their calculated values).
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
soffice --headless --norestore --convert-to xlsx --outdir "$out" openpyxl_crm.xlsx >/dev/null 2>&1
mv "$out/openpyxl_crm.xlsx" libreoffice_crm.xlsx
rm -rf "$out"
