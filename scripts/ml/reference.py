"""The ml tier's reference: token ids from Hugging Face `tokenizers` (the model's own
tokenizer.json) and sentence embeddings from a float64 numpy forward pass of all-MiniLM-L6-v2
(BERT: embeddings + LayerNorm, 6 x (self-attention, residual + LayerNorm, exact-erf GELU
feed-forward, residual + LayerNorm), mean pooling, L2 normalisation), for the fixed sentences
below. Writes Fixtures/ml/reference.json, which Tests/SentenceEncoderTests hold the Swift
tokenizer (ids exactly) and encoder (cosine >= 0.9999) against.

Run through scripts/ml/reference.sh (numpy, tokenizers, safetensors; no PyTorch).
"""

import argparse
import hashlib
import json
import math
import os
import pathlib

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

SENTENCES = [
    "Do you have the blue kurta in size M?",
    "I want to cancel my order #4521, it has not shipped yet.",
    "What time do you open on Sunday?",
    "bhai ye wala phone kitne ka hai? COD milega kya",
    "mujhe 2 kg atta aur 1 litre oil chahiye kal tak",
    "aapka delivery bahut late hai, very bad service yaar",
    "Great product!!! 😍😍 will order again 🙏",
    "pls send catalog 👉🏽 and price list asap 🧑‍💻",
    "Café, naïve résumé: Ñandú crème brûlée à la carte",
    "Straße ÀÉÎÕÜ ç İstanbul ﬁne",
    "你好，我想买这个 in red",
    "Stop sending me messages. UNSUBSCRIBE",
    "Can I change the delivery address to 14/B, MG Road, Bengaluru 560001?",
    "",
    "   \t\n  ",
    "hello\u200bworld\u00adtest\u0000end\ufffd",
    "price??? $49.99 vs ₹3,999 — which is better... (honestly)",
    "supercalifragilisticexpialidocious antidisestablishmentarianism " + "x" * 120,
    " ".join(
        ["I ordered a saree last week and it still has not arrived, the tracking says it is stuck at the"
         " warehouse and nobody answers the phone, please tell me what is going on and when I can expect it"] * 3
    ),
    "ok",
]


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


ERF = np.frompyfunc(math.erf, 1, 1)


def gelu(x):
    return 0.5 * x * (1.0 + ERF(x / math.sqrt(2.0)).astype(np.float64))


def embed(ids, w, config):
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    size = hidden // heads
    eps = config["layer_norm_eps"]
    n = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."

        def linear(name, v):
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q, k, v = (linear(f"attention.self.{name}", x).reshape(n, heads, size).transpose(1, 0, 2) for name in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(n, hidden)
        x = layer_norm(linear("attention.output.dense", context) + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        inner = gelu(linear("intermediate.dense", x))
        x = layer_norm(linear("output.dense", inner) + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    pooled = x.mean(axis=0)
    return pooled / max(np.linalg.norm(pooled), 1e-12)


def main():
    default_dir = os.environ.get("ML_MODEL_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "ai-worker/models/all-MiniLM-L6-v2"
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", default=default_dir)
    parser.add_argument("--out", default="Fixtures/ml/reference.json")
    args = parser.parse_args()
    model = pathlib.Path(args.model_dir)
    config = json.loads((model / "config.json").read_text())
    tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
    tokenizer.no_padding()
    weights = {name: tensor.astype(np.float64) for name, tensor in load_file(str(model / "model.safetensors")).items()}
    cases = []
    for text in SENTENCES:
        ids = tokenizer.encode(text).ids
        vector = embed(ids, weights, config)
        cases.append({"text": text, "ids": ids, "embedding": [float(f"{value:.8g}") for value in vector]})
    fixture = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "weights_sha256": hashlib.sha256((model / "model.safetensors").read_bytes()).hexdigest(),
        "max_length": tokenizer.truncation["max_length"] if tokenizer.truncation else None,
        "cases": cases,
    }
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
