"""LoRA fine-tuning of chartcoder-base on the examples `chartcoder train dataset` wrote.

Each example is the exact inference prompt (system + user, from server/engine/suggest/promptTemplate.json through
the TypeScript builder) and the JSON answer the schema asks for; the loss covers the answer tokens only. The base
weights are the SmolLM2-135M-Instruct Q4_1 GGUF that Ollama serves, de-quantized by transformers (`gguf_file=`);
its sha256 is recorded. Targets v/o/gate/up/down projections (Ollama's adapter import re-permutes q/k in a way
that is unverified for PEFT), integer lora_alpha. Runs on CUDA when present, else CPU. Writes the PEFT adapter (LoRA
weights stored as float16 so a trained adapter is small enough to commit), a loss curve PNG and run.json with the
validation loss before and after training.
"""
import argparse, hashlib, json, os, random, time

import torch
from peft import LoraConfig, get_peft_model
from tqdm import tqdm
from transformers import AutoModelForCausalLM, AutoTokenizer

TARGETS = ["v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def encode(tokenizer, example, max_tokens):
    messages = [{"role": "system", "content": example["system"]}, {"role": "user", "content": example["user"]}]
    prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    answer = json.dumps(example["target"], ensure_ascii=False) + tokenizer.eos_token
    prompt_ids = tokenizer(prompt, add_special_tokens=False).input_ids
    answer_ids = tokenizer(answer, add_special_tokens=False).input_ids
    ids = (prompt_ids + answer_ids)[-max_tokens:]
    labels = ([-100] * len(prompt_ids) + answer_ids)[-max_tokens:]
    return torch.tensor([ids]), torch.tensor([labels])


def mean_loss(model, tokenizer, examples, max_tokens, device):
    if not examples:
        return None
    model.eval()
    with torch.no_grad():
        total = 0.0
        for example in examples:
            ids, labels = encode(tokenizer, example, max_tokens)
            total += model(input_ids=ids.to(device), labels=labels.to(device)).loss.item()
    model.train()
    return round(total / len(examples), 5)


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--base-dir", required=True)
    p.add_argument("--gguf", required=True)
    p.add_argument("--dataset", required=True, help="folder with train.jsonl and manifest.json")
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--rank", type=int, default=8)
    p.add_argument("--alpha", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--max-tokens", type=int, default=1024)
    p.add_argument("--seed", type=int, default=20261124)
    p.add_argument("--validation-examples", type=int, default=16)
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="auto: a CUDA GPU when torch sees one")
    a = p.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: torch sees no CUDA GPU (torch.cuda.is_available() is false); use --device cpu or auto")
    device = "cuda" if a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available()) else "cpu"
    random.seed(a.seed)
    torch.manual_seed(a.seed)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    started = time.time()
    tokenizer = AutoTokenizer.from_pretrained(a.base_dir, gguf_file=a.gguf)
    model = AutoModelForCausalLM.from_pretrained(a.base_dir, gguf_file=a.gguf, dtype=torch.float32)
    config = LoraConfig(r=a.rank, lora_alpha=a.alpha, target_modules=TARGETS, lora_dropout=0.0, task_type="CAUSAL_LM")
    model = get_peft_model(model, config).to(device)
    examples = read_jsonl(os.path.join(a.dataset, "train.jsonl"))
    if not examples:
        raise SystemExit("train_lora: the dataset has no training rows")
    random.Random(a.seed).shuffle(examples)
    held_out = read_jsonl(os.path.join(a.dataset, "validation.jsonl"))[: a.validation_examples]
    validation_before = mean_loss(model, tokenizer, held_out, a.max_tokens, device)
    optimizer = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=a.lr)
    losses = []
    model.train()
    for step in tqdm(range(a.steps), desc="LoRA steps"):
        ids, labels = encode(tokenizer, examples[step % len(examples)], a.max_tokens)
        loss = model(input_ids=ids.to(device), labels=labels.to(device)).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(round(loss.item(), 5))
    validation_after = mean_loss(model, tokenizer, held_out, a.max_tokens, device)
    os.makedirs(a.out, exist_ok=True)
    for name, param in model.named_parameters():
        if "lora_" in name:
            param.data = param.data.to(torch.float16)
    model.save_pretrained(a.out)
    peft_readme = os.path.join(a.out, "README.md")  # PEFT's empty template; card.json is the model card
    if os.path.exists(peft_readme):
        os.remove(peft_readme)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.figure(figsize=(6, 3.5))
    plt.plot(range(1, len(losses) + 1), losses)
    plt.xlabel("step"); plt.ylabel("loss (answer tokens)"); plt.title("chartcoder LoRA training loss")
    plt.tight_layout(); plt.savefig(os.path.join(a.out, "loss.png"), dpi=120)
    with open(os.path.join(a.dataset, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    run = {
        "base": {"file": a.gguf, "sha256": sha256_of(os.path.join(a.base_dir, a.gguf))},
        "dataset": {"contentHash": manifest["contentHash"], "examples": manifest["examples"]},
        "hyperParameters": {"rank": a.rank, "alpha": a.alpha, "lr": a.lr, "steps": a.steps, "targets": TARGETS, "maxTokens": a.max_tokens, "seed": a.seed},
        "device": device if device == "cpu" else torch.cuda.get_device_name(0),
        "losses": losses, "seconds": round(time.time() - started, 1),
        "validationLoss": {"before": validation_before, "after": validation_after, "examples": len(held_out)},
        "adapterSha256": sha256_of(os.path.join(a.out, "adapter_model.safetensors")),
    }
    with open(os.path.join(a.out, "run.json"), "w", encoding="utf-8") as f:
        json.dump(run, f, indent=2)
    print(json.dumps({k: run[k] for k in ("seconds", "adapterSha256", "validationLoss")}))


if __name__ == "__main__":
    main()
