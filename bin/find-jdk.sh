# shellcheck shell=bash
# Source this file to get a JDK >= 21 (EDEN_MIN_JAVA to ask for another minimum):
#   . bin/find-jdk.sh
# It exports JAVA_HOME and puts $JAVA_HOME/bin first on PATH, or fails with a message saying
# what it found. Looked at, in order: $JAVA_HOME, the `java` on PATH, the newest JDK under
# /usr/lib/jvm (Linux) or /Library/Java/JavaVirtualMachines (macOS). The machine's default java
# may be older (17 here), which cannot build `--release 21`.

# The feature release of the JDK at $1 (17, 21, 25), from its `release` file or by asking it.
eden_jdk_major() {
    local home="$1" version=""
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
    if [ -r "$home/release" ]; then
        version="$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")"
    fi
    if [ -z "$version" ]; then
        version="$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java\.specification\.version = //p')"
    fi
    case "$version" in
        1.*) version="${version#1.}" ;;
    esac
    version="${version%%[.+-]*}"
    case "$version" in
        '' | *[!0-9]*) return 1 ;;
    esac
    echo "$version"
}

eden_find_jdk() {
    local minimum="${EDEN_MIN_JAVA:-21}" candidate major best="" best_major=0 seen=""
    local -a candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidate="$(readlink -f "$(command -v java)" 2>/dev/null || command -v java)"
        candidates+=("${candidate%/bin/java}")
    fi
    # the first acceptable of the user's own choices wins, before any search
    for candidate in "${candidates[@]}"; do
        major="$(eden_jdk_major "$candidate")" || { seen="$seen $candidate(not a JDK)"; continue; }
        if [ "$major" -ge "$minimum" ]; then
            best="$candidate"
            break
        fi
        seen="$seen $candidate($major)"
    done
    if [ -z "$best" ]; then
        for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
            [ -d "$candidate" ] || continue
            major="$(eden_jdk_major "$candidate")" || continue
            if [ "$major" -ge "$minimum" ] && [ "$major" -gt "$best_major" ]; then
                best="$candidate"
                best_major="$major"
            fi
        done
    fi
    if [ -z "$best" ]; then
        echo "eden: no JDK $minimum or newer found (looked at:${seen:- nothing on PATH or in JAVA_HOME}," \
            "and /usr/lib/jvm/*). Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it." >&2
        return 1
    fi
    JAVA_HOME="$(cd "$best" && pwd -P)"
    PATH="$JAVA_HOME/bin:$PATH"
    export JAVA_HOME PATH
}

eden_find_jdk || { return 1 2>/dev/null || exit 1; }
