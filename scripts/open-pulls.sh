#!/usr/bin/env bash
# Prints `numbers=<n>,<n>,...`: the open pull requests of $GITHUB_REPOSITORY, every page of them (GitHub REST,
# GET /repos/{owner}/{repo}/pulls?state=open). Fails on any error, so a sweep never mistakes "could not ask" for
# "no PR is open" and deletes previews of open PRs.
set -euo pipefail
api="${GITHUB_API_URL:-https://api.github.com}"
numbers=()
page=1
while :; do
  body=$(curl --fail-with-body --silent --show-error --max-time 30 \
    -H "Authorization: Bearer ${GH_TOKEN}" -H 'Accept: application/vnd.github+json' \
    "${api}/repos/${GITHUB_REPOSITORY}/pulls?state=open&per_page=100&page=${page}")
  mapfile -t batch < <(jq -r '.[].number' <<<"$body")
  [ "${#batch[@]}" -eq 0 ] && break
  numbers+=("${batch[@]}")
  [ "${#batch[@]}" -lt 100 ] && break
  page=$((page + 1))
done
(IFS=,; echo "numbers=${numbers[*]}")
