#!/usr/bin/env bash
# Builds mps3-bench and the modules it needs, then runs one benchmark class.
#
#   mps3-bench/run.sh [Class] [args...]     Class defaults to StoreFloorBenchmark;
#                                           a simple name means io.mps3.bench.<Class>
#
# Environment: JAVA_OPTS (extra JVM options, e.g. -Dmps3.bench.stores=local).
# The report goes to standard output, progress and logs to standard error.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

class="${1:-StoreFloorBenchmark}"
if [[ $# -gt 0 ]]; then shift; fi
if [[ "$class" != *.* ]]; then class="io.mps3.bench.$class"; fi

# -am builds mps3 and mps3-testkit from this tree, so nothing needs installing first.
# maven.test.skip: benchmarks need no test classes, and this skips compiling them.
mvn -B -q -ntp -pl mps3-bench -am package -Dmaven.test.skip=true >&2

# FootprintBenchmark reports the library's own runtime closure, not this module's (which adds the
# testkit and the S3 servers). The property is includeScope: mdep.includeScope is ignored and
# would let test jars in.
if [[ "$class" == io.mps3.bench.FootprintBenchmark ]]; then
  mvn -B -q -ntp -pl mps3 dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile="$root/mps3-bench/target/mps3-runtime-classpath.txt" >&2
fi

jvm=()
s3mock_jar="mps3-testkit/target/s3mock/s3mock-exec.jar" # copied there by the testkit build
if [[ -f "$s3mock_jar" ]]; then jvm+=("-Dmps3.s3mock.jar=$root/$s3mock_jar"); fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} "${jvm[@]}" \
  -cp "$(cat mps3-bench/target/classpath.txt):mps3-bench/target/classes" "$class" "$@"
