# perf/lib/java-opts.sh — sourced by the perf scripts that start Outrigger with `java -jar`:
# launcher_java_opts prints the JVM options bin/outrigger uses by default, read from the launcher
# itself so that the benchmarks measure what users run.
launcher_java_opts() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  sed -n '/^default_java_opts=(/,/^)/{/^default_java_opts=(/d;/^)/d;p}' "$root/bin/outrigger" |
    tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}
