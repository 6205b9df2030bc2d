#!/usr/bin/env bash
# Keeps ONE comment on pull request $PR_NUMBER up to date with the preview's URL, image, health gate and time:
# finds the comment carrying the marker (GET /repos/{repo}/issues/{n}/comments, every page) and edits it
# (PATCH /repos/{repo}/issues/comments/{id}), or creates it (POST). Values come from the environment only.
set -euo pipefail
api="${GITHUB_API_URL:-https://api.github.com}"
marker='<!-- app-platform-pipeline:preview -->'
call() {
  curl --fail-with-body --silent --show-error --max-time 30 -H "Authorization: Bearer ${GH_TOKEN}" \
    -H 'Accept: application/vnd.github+json' "$@"
}
if [ "${RESULT:-}" = "success" ] && [ "${GATE:-}" = "passed" ]; then headline='✅ Preview is up'
elif [ "${RESULT:-}" = "skipped" ]; then headline='❌ Preview not deployed (the build failed)'
else headline="❌ Preview failed (deploy: ${RESULT:-unknown}, health gate: ${GATE:-unknown})"; fi
body=$(jq -n --arg m "$marker" --arg h "$headline" --arg url "${PREVIEW_URL:-}" --arg ref "${IMAGE_REF:-}" \
  --arg gate "${GATE:-}" --arg run "${RUN_URL:-}" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  '{body: ($m + "\n### " + $h + "\n\n| | |\n|---|---|\n| **URL** | " + (if $url == "" then "—" else $url end) +
    " |\n| **Image** | `" + (if $ref == "" then "—" else $ref end) + "` |\n| **Health gate** | " + $gate +
    " |\n| **Updated** | " + $at + " |\n| **Run** | " + $run + " |\n")}')
id=""
page=1
while [ -z "$id" ]; do
  comments=$(call "${api}/repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments?per_page=100&page=${page}")
  [ "$(jq length <<<"$comments")" -eq 0 ] && break
  id=$(jq -r --arg m "$marker" 'map(select(.body | startswith($m))) | first | .id // empty' <<<"$comments")
  page=$((page + 1))
done
if [ -n "$id" ]; then
  call -X PATCH "${api}/repos/${GITHUB_REPOSITORY}/issues/comments/${id}" -d "$body" >/dev/null
  echo "Updated the preview comment ${id} on PR #${PR_NUMBER}"
else
  call -X POST "${api}/repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments" -d "$body" >/dev/null
  echo "Created the preview comment on PR #${PR_NUMBER}"
fi
