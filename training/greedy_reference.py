"""Reference greedy decoding for the numeric check of an imported adapter.

For each fixed prompt (system + user, rendered with the model's chat template exactly as training did), decode
greedily with the base model and with the PEFT adapter merged into it, both in transformers. Every generated token
is written with the text before it (`prefix`, the decoded tokens so far), its own text (`piece`) and the margin
between the best and second-best log-probability, so the checker can replay the same path through Ollama one token
at a time (teacher forcing) and skip near-ties, where quantized inference may legitimately pick the other token.
"""
import argparse, json

import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer


def greedy(model, tokenizer, prompt, max_new):
    ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=False).input_ids
    steps, generated = [], []
    with torch.no_grad():
        for _ in range(max_new):
            logits = model(input_ids=ids).logits[0, -1].float()
            logprobs = torch.log_softmax(logits, dim=-1)
            top = torch.topk(logprobs, 2)
            token = int(top.indices[0])
            if token == tokenizer.eos_token_id:
                break
            steps.append({
                "prefix": tokenizer.decode(generated), "piece": tokenizer.decode([token]), "id": token,
                "margin": round(float(top.values[0] - top.values[1]), 5),
            })
            generated.append(token)
            ids = torch.cat([ids, torch.tensor([[token]])], dim=1)
    return {"text": tokenizer.decode(generated), "steps": steps}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--base-dir", required=True)
    p.add_argument("--gguf", required=True)
    p.add_argument("--adapter", required=True)
    p.add_argument("--prompts", required=True, help="JSONL rows with system and user")
    p.add_argument("--max-new", type=int, default=24)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(a.base_dir, gguf_file=a.gguf)
    model = AutoModelForCausalLM.from_pretrained(a.base_dir, gguf_file=a.gguf, dtype=torch.float32).eval()
    with open(a.prompts, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    prompts = [tokenizer.apply_chat_template([{"role": "system", "content": r["system"]}, {"role": "user", "content": r["user"]}], tokenize=False, add_generation_prompt=True) for r in rows]
    base = [greedy(model, tokenizer, prompt, a.max_new) for prompt in prompts]
    merged = PeftModel.from_pretrained(model, a.adapter).merge_and_unload().eval()
    tuned = [greedy(merged, tokenizer, prompt, a.max_new) for prompt in prompts]
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump([{"prompt": prompt, "base": b, "tuned": t} for prompt, b, t in zip(prompts, base, tuned)], f, ensure_ascii=False)
    print(json.dumps({"prompts": len(prompts), "tunedDiffersFromBase": sum(b["text"] != t["text"] for b, t in zip(base, tuned))}))


if __name__ == "__main__":
    main()
