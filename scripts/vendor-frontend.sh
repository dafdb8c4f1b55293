#!/usr/bin/env bash
# Refresh the front-end files served from app/static/vendor (no CDN: the app works offline).
# They come from the npm registry; run this only to change a version, then commit the result.
set -euo pipefail
BOOTSTRAP=5.3.9
CHARTJS=4.6.1
TOMSELECT=2.6.2
FLATPICKR=4.6.13
SWAGGERUI=5.35.0
cd "$(dirname "$0")/.."
work=$(mktemp -d)
(cd "$work" && npm pack --silent "bootstrap@$BOOTSTRAP" "chart.js@$CHARTJS" \
    "tom-select@$TOMSELECT" "flatpickr@$FLATPICKR" "swagger-ui-dist@$SWAGGERUI" >/dev/null \
  && for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done)
cp "$work/bootstrap-$BOOTSTRAP/package/dist/css/bootstrap.min.css" \
   "$work/bootstrap-$BOOTSTRAP/package/dist/js/bootstrap.bundle.min.js" \
   "$work/bootstrap-$BOOTSTRAP/package/LICENSE" app/static/vendor/bootstrap/
cp "$work/chart.js-$CHARTJS/package/dist/chart.umd.min.js" \
   "$work/chart.js-$CHARTJS/package/LICENSE.md" app/static/vendor/chartjs/
mkdir -p app/static/vendor/tom-select app/static/vendor/flatpickr
cp "$work/tom-select-$TOMSELECT/package/dist/js/tom-select.complete.min.js" \
   "$work/tom-select-$TOMSELECT/package/dist/css/tom-select.bootstrap5.min.css" \
   "$work/tom-select-$TOMSELECT/package/LICENSE" app/static/vendor/tom-select/
cp "$work/flatpickr-$FLATPICKR/package/dist/flatpickr.min.js" \
   "$work/flatpickr-$FLATPICKR/package/dist/flatpickr.min.css" \
   "$work/flatpickr-$FLATPICKR/package/dist/l10n/vn.js" \
   "$work/flatpickr-$FLATPICKR/package/LICENSE.md" app/static/vendor/flatpickr/
# The API reference page (account/api_reference.html); NOTICE kept as Apache-2.0 asks.
mkdir -p app/static/vendor/swagger-ui
cp "$work/swagger-ui-dist-$SWAGGERUI/package/swagger-ui-bundle.js" \
   "$work/swagger-ui-dist-$SWAGGERUI/package/swagger-ui-bundle.js.LICENSE.txt" \
   "$work/swagger-ui-dist-$SWAGGERUI/package/swagger-ui.css" \
   "$work/swagger-ui-dist-$SWAGGERUI/package/LICENSE" \
   "$work/swagger-ui-dist-$SWAGGERUI/package/NOTICE" app/static/vendor/swagger-ui/
rm -rf "$work"
echo "bootstrap $BOOTSTRAP, chart.js $CHARTJS, tom-select $TOMSELECT, flatpickr $FLATPICKR," \
  "swagger-ui-dist $SWAGGERUI" \
  > app/static/vendor/VERSIONS
