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
copied=()
# Whether "$1" (a path in the context) or a parent of it matches a line of .dockerignore.
ignored_by() {
    local path="${1%/}" pattern
    while [ -n "$path" ] && [ "$path" != "." ]; do
        while IFS= read -r pattern; do
            case "$pattern" in ''|'#'*|'!'*) continue ;; esac
            # shellcheck disable=SC2053
            if [[ "$path" == $pattern ]]; then printf '%s' "$pattern"; return 0; fi
        done <"$ignore"
        [[ "$path" == */* ]] && path="${path%/*}" || path=""
    done
    return 1
}
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
        copied+=("${source%/}")
        # A source whose path (or any parent) matches a .dockerignore line is not sent to the engine.
        if pattern="$(ignored_by "$source")"; then
            echo "validate-dockerfile: $instruction source '$source' is excluded by .dockerignore ('$pattern')" >&2
            failed=1
        fi
    done
done < <(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$dockerfile" | grep -Ev '^[[:space:]]*#')
# SwiftPM loads every target of the manifest, even to build one product: each `path:` of
# Package.swift must be copied into the build stage and not be excluded by .dockerignore.
while read -r target_path; do
    found=0
    for source in "${copied[@]}"; do
        if [ "$target_path" = "$source" ] || [[ "$target_path" == "$source"/* ]]; then found=1; fi
    done
    [ "$found" = 1 ] || { echo "validate-dockerfile: Package.swift target path '$target_path' is not copied into the build stage" >&2; failed=1; }
    if pattern="$(ignored_by "$target_path")"; then
        echo "validate-dockerfile: Package.swift target path '$target_path' is excluded by .dockerignore ('$pattern')" >&2
        failed=1
    fi
done < <(grep -oE 'path: *"[^"]+"' "$ROOT/Package.swift" | sed -E 's/path: *"([^"]+)"/\1/')
# No source file of a target may be left out by a .dockerignore line (the target paths of the
# services are computed in Package.swift, so every tracked file under the source roots is checked).
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    while read -r file; do
        if pattern="$(ignored_by "$file")"; then
            echo "validate-dockerfile: $file is excluded by .dockerignore ('$pattern')" >&2
            failed=1
        fi
    done < <(git -C "$ROOT" ls-files -- Package.swift Shared Services Tests | grep -E '\.(swift|h|c|modulemap|py|json)$')
fi
for service in auth-gateway predictor task-manager aibridge-query orchestrator code-runner; do
    grep -q -- "$service" "$dockerfile" || { echo "validate-dockerfile: $service is not built into the image" >&2; failed=1; }
    grep -q "\"$service\"" "$ROOT/Package.swift" || { echo "validate-dockerfile: Package.swift has no product $service" >&2; failed=1; }
done
[ "$failed" = 0 ] && echo "validate-dockerfile: COPY sources present and not ignored, every Package.swift target path copied, six services built"
exit "$failed"
