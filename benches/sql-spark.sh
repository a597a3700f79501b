#!/usr/bin/env bash
# `cxm sql --dialect spark` on Spark: every case of tests/cli/sql.rs (tickets by team,
# by month in Berlin with a window, weekly in New York, hand-made edge cases; surveys
# quarterly in Tokyo, by customer, wide with good/bad labels; subscription churn by
# plan and quarterly in Berlin), each query run by pyspark in local mode with the
# session time zone set to America/Sao_Paulo, and its result compared with the
# command's own output. Needs a JRE and pyspark (installed here when missing).
#
#   benches/sql-spark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/cxm-target}
if ! command -v java >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
  $sudo apt-get install -y -qq default-jre-headless >&2
fi
python3 -c "import pyspark" 2>/dev/null || pip install -q pyspark >&2
python3 -c "import pyspark; print('pyspark', pyspark.__version__)"
java -version 2>&1 | head -1
cargo test --release --test cli sql::spark_gives_the_commands_numbers -- --ignored --nocapture
