#!/usr/bin/env python3
"""Expected weights for vecgrad's optimizers from torch.optim in float64 (KerasVersusTorchTest).

Writes torch_reference.txt beside this script: two variables (2x3 and 3), three steps of gradients,
and each optimizer's weights after every step. Run: python3 torch_reference.py (PyTorch >= 2.0;
Debian: apt-get install python3-torch).

torch.optim's formulas equal Keras 3's (keras/src/optimizers/*.py) with these settings:
- epsilon 1e-12 on both sides: torch adds eps outside a square root (Adam: after the bias correction
  of v; RMSprop, Adagrad: sqrt(v) + eps; Adamax: max(beta2 u, |g| + eps)) where Keras adds it inside
  or before the bias correction; at 1e-12 against gradients >= 0.05 the placement changes nothing a
  float32 can hold;
- NAdam is left out: Debian's torch 1.13 multiplies mu(t) twice into mu_product_next
  (torch/optim/nadam.py: mu_product *= mu; mu_product_next = mu_product * mu * mu_next), which later
  torch releases correct to Keras' U(t) * u(t+1). (With momentum_decay=1.0 a corrected torch would
  match Keras' 0.96^t.) KerasFormulaTest checks Nadam against Keras' formula.
- SGD momentum: torch's buffer b (b = mu b + g, w -= lr b) is Keras' velocity divided by -lr.
"""
import math
import os

import torch

torch.set_default_dtype(torch.float64)

EPS = 1e-12


def f32(x):
    """The float32 nearest to x, as a float64 (the gradients and weights vecgrad sees)."""
    return float(torch.tensor(x, dtype=torch.float32).item())


INIT = [[0.5, -1.25, 2.0, 0.75, -0.3, 1.5], [0.2, -0.6, 1.0]]
SHAPES = [(2, 3), (3,)]


def gradient(k, i, t):
    x = math.sin(1.3 * t + 0.7 * i + 2.1 * k)
    return f32(x * (0.05 + 3 * abs(math.cos(0.9 * i + t))))


CASES = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01, eps=EPS),
    "adam_amsgrad": lambda p: torch.optim.Adam(p, lr=0.01, eps=EPS, amsgrad=True),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, eps=EPS, weight_decay=0.1),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.8, eps=EPS),
    "rmsprop_centered_momentum": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.8, eps=EPS, momentum=0.5,
                                                               centered=True),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1, eps=EPS, initial_accumulator_value=0.5),
    "adamax": lambda p: torch.optim.Adamax(p, lr=0.01, betas=(0.9, 0.99), eps=EPS),
}


def main():
    lines = ["# torch " + torch.__version__ + ", float64; written by torch_reference.py"]
    lines.append("init 0 " + " ".join(repr(f32(v)) for v in INIT[0]))
    lines.append("init 1 " + " ".join(repr(f32(v)) for v in INIT[1]))
    for t in range(1, 4):
        for k in range(2):
            lines.append(f"grad {t} {k} " + " ".join(repr(gradient(k, i, t)) for i in range(len(INIT[k]))))
    for name, make in CASES.items():
        params = [torch.tensor([f32(v) for v in INIT[k]]).reshape(SHAPES[k]).requires_grad_() for k in range(2)]
        opt = make(params)
        for t in range(1, 4):
            for k, p in enumerate(params):
                p.grad = torch.tensor([gradient(k, i, t) for i in range(len(INIT[k]))]).reshape(SHAPES[k])
            opt.step()
            for k, p in enumerate(params):
                lines.append(f"{name} {t} {k} " + " ".join(repr(v) for v in p.detach().reshape(-1).tolist()))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_reference.txt")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
