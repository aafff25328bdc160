#!/usr/bin/env bash
# No Dockerfile linter (hadolint) and no Docker engine here: checks what can be checked
# without them. Every COPY/ADD source of deploy/Dockerfile (outside --from stages) must
# exist in the build context (the repository root) and must not be excluded by the
# top-level .dockerignore; the build stage's products must be the six executables.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dockerfile="$ROOT/deploy/Dockerfile"
ignore="$ROOT/.dockerignore"
[ -f "$dockerfile" ] || { echo "validate-dockerfile: $dockerfile missing" >&2; exit 1; }
[ -f "$ignore" ] || { echo "validate-dockerfile: $ignore missing (Docker reads it only at the context root)" >&2; exit 1; }
failed=0
# Join continuation lines, then look at COPY/ADD instructions.
while read -r instruction rest; do
    case "${instruction^^}" in COPY|ADD) ;; *) continue ;; esac
    read -r -a words <<<"$rest"
    args=()
    for word in "${words[@]}"; do
        case "$word" in --from=*) args=(); continue 2 ;; --*) ;; *) args+=("$word") ;; esac
    done
    [ "${#args[@]}" -ge 2 ] || { echo "validate-dockerfile: malformed: $instruction $rest" >&2; failed=1; continue; }
    for source in "${args[@]:0:${#args[@]}-1}"; do
        if [ ! -e "$ROOT/$source" ]; then
            echo "validate-dockerfile: $instruction source '$source' does not exist in the build context ($ROOT)" >&2
            failed=1
            continue
        fi
        # A source whose path (or any parent) matches a .dockerignore line is not sent to the engine.
        path="${source%/}"
        while [ -n "$path" ] && [ "$path" != "." ]; do
            while IFS= read -r pattern; do
                case "$pattern" in ''|'#'*|'!'*) continue ;; esac
                # shellcheck disable=SC2053
                if [[ "$path" == $pattern ]]; then
                    echo "validate-dockerfile: $instruction source '$source' is excluded by .dockerignore ('$pattern')" >&2
                    failed=1
                fi
            done <"$ignore"
            [[ "$path" == */* ]] && path="${path%/*}" || path=""
        done
    done
done < <(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$dockerfile" | grep -Ev '^[[:space:]]*#')
for service in auth-gateway predictor task-manager aibridge-query orchestrator code-runner; do
    grep -q -- "$service" "$dockerfile" || { echo "validate-dockerfile: $service is not built into the image" >&2; failed=1; }
    grep -q "\"$service\"" "$ROOT/Package.swift" || { echo "validate-dockerfile: Package.swift has no product $service" >&2; failed=1; }
done
[ "$failed" = 0 ] && echo "validate-dockerfile: COPY sources present and not ignored, six services built"
exit "$failed"
