# Shared by bin/pg-python and bin/pg-jython (sourced): finding a JDK 21+, and building what a
# launcher runs with Maven when it is missing or older than the Java sources and poms.
# The sourcing script sets `launcher` (its name, for messages), `root` and `cache`.

say() { printf '%s: %s\n' "$launcher" "$*" >&2; }

# The major version of a JDK home, from its `release` file (no JVM start needed).
jdk_major() {
    local v
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null) || return 1
    [ -n "$v" ] && [ -x "$1/bin/java" ] && echo "$v"
}

find_jdk() {
    local candidates=() home major
    [ -n "${PG_PYTHON_JAVA:-}" ] && candidates+=("$PG_PYTHON_JAVA")
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname -- "$(dirname -- "$(readlink -f -- "$(command -v java)")")")")
    fi
    # Newest first, so that a machine with 17 and 25 picks 25.
    for home in $(ls -d /usr/lib/jvm/*/ /opt/java/*/ 2>/dev/null | sort -rV); do
        candidates+=("${home%/}")
    done
    for home in "${candidates[@]}"; do
        major=$(jdk_major "$home") || continue
        if [ "$major" -ge 21 ]; then echo "$home"; return 0; fi
    done
    say "no JDK 21 or newer found (GraalPy 25 and java-core need one; the default java here may be 17)."
    say "Install one (e.g. apt-get install openjdk-21-jdk, or Temurin 25) or set PG_PYTHON_JAVA."
    return 1
}

# ensure_built STAMP MODULE WHAT: `mvn package` of MODULE (and what it needs) with the JDK in
# $java_home when STAMP is missing or older than the poms it is built from or the Java sources;
# WHAT names it in messages. Built in place (not removed first): other launchers may be running from it.
ensure_built() {
    local stamp=$1 module=$2 what=$3
    build_stale() {
        [ ! -f "$stamp" ] || [ -n "$(find "$root/pom.xml" "$root/java-core/pom.xml" \
            "$root/python/pom.xml" "$root/$module/pom.xml" "$root/java-core/src/main" \
            "$root/python/src/main/java" -newer "$stamp" -print -quit)" ]
    }
    build_stale || return 0
    mkdir -p "$cache"
    exec 9>"$cache/build.lock"
    flock 9
    if ! build_stale; then exec 9>&-; return 0; fi    # another launcher built it while we waited
    command -v mvn >/dev/null 2>&1 || { say "Maven (mvn) is needed to build java-core: apt-get install maven"; return 1; }
    say "building $what (first run, or Java sources changed)..."
    if ! (cd "$root" && JAVA_HOME="$java_home" \
            MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
            mvn -q -B -DskipTests -pl "$module" -am package) >"$cache/build.log" 2>&1; then
        say "build failed; see $cache/build.log:"
        tail -n 30 "$cache/build.log" >&2
        return 1
    fi
    touch "$stamp"
    say "build done."
    exec 9>&-
}
