#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with starting inputs cut from the fixtures under testdata/
# (corpora are not committed). Run from anywhere; existing corpus files stay.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../testdata
corpus=$here/corpus
mkdir -p "$corpus"/{reader,reader_fastpath,printer,kustomization,strategic_merge,json_patch,whole_build}
n=0
# Small YAML and JSON files, as they are.
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$corpus/reader/$n"
  cp "$f" "$corpus/reader_fastpath/$n"
  cp "$f" "$corpus/printer/$n"
done < <(find -L "$data" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -16k -print0 2>/dev/null)
# Kustomization files, and whole builds: a kustomization then the directory's other files.
while IFS= read -r -d '' k; do
  n=$((n + 1))
  dir=$(dirname "$k")
  cp "$k" "$corpus/kustomization/$n"
  {
    cat "$k"
    for f in $(ls "$dir" | grep -E '\.(yaml|json)$' | grep -v -e '^kustomization' -e '^expected' | head -4); do
      printf '\0'
      cat "$dir/$f" 2>/dev/null || true
    done
  } > "$corpus/whole_build/$n"
  # Patches: the directory's first resource file, then each other file.
  files=$(ls "$dir" | grep -E '\.(yaml|json)$' | grep -v -e '^kustomization' -e '^expected' | head -6 || true)
  first=$(echo "$files" | head -1)
  [ -n "$first" ] || continue
  for f in $(echo "$files" | tail -n +2); do
    n=$((n + 1))
    { cat "$dir/$first"; printf '\0'; cat "$dir/$f"; } > "$corpus/strategic_merge/$n" 2>/dev/null || true
    cp "$corpus/strategic_merge/$n" "$corpus/json_patch/$n"
  done
done < <(find -L "$data" -type f -name kustomization.yaml -size -16k -print0 2>/dev/null)
for t in "$corpus"/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) inputs"; done
