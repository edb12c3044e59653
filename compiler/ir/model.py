"""A model as the engine sees it: embeddings, a sequence of typed layers, a head."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from capplan.ir.blocks import Attention, Layer, Mamba2Layer, Moe, Norm, TransformerLayer


@dataclass(frozen=True)
class Embeddings:
    vocab: int
    hidden: int
    position: str = "rope"        # rope | learned | alibi | none
    positions: int = 0            # rows of a learned position table (max_seq + offset)
    token_types: int = 0          # BERT's segment embeddings
    norm: Norm | None = None      # a norm on the embeddings' sum (BERT)


@dataclass(frozen=True)
class Head:
    """What follows the last layer: a final norm, then a language-model head or a classifier."""

    kind: str = "lm"              # lm | classifier
    tied: bool = False            # the LM head shares the token embedding
    final_norm: Norm | None = Norm()
    pooler: bool = False          # BERT's pooler: dense hidden -> hidden with tanh on [CLS]
    classes: int = 0              # classifier outputs


@dataclass(frozen=True)
class Model:
    """A model by architecture (`blocks` non-empty) or by a bare parameter count (`params`).

    The stack is stored as its distinct layer kinds (`blocks`) and, per layer, the index of its
    kind (`stack`): equal layers are one value, evaluated once, and indexing never hashes a block.
    """

    name: str
    display_name: str
    hidden: int | None = None
    vocab: int | None = None
    blocks: tuple[Layer, ...] = ()
    stack: tuple[int, ...] = ()
    embeddings: Embeddings | None = None
    head: Head = Head()
    max_seq: float | None = None
    params: float | None = None           # a rule-of-thumb model: its total parameters
    declared_layers: int | None = None    # a rule-of-thumb model's layer count, if given
    architecture_fields: tuple = ()       # (name, value) pairs as the spec gave them, for reports

    @classmethod
    def of_layers(cls, name: str, display_name: str, layers: tuple[Layer, ...], **fields) -> "Model":
        """A model from its layers in order (equal layers become one kind)."""
        blocks: list[Layer] = []
        index: dict[int, int] = {}   # by identity first: lowering passes one object per kind
        stack = []
        for layer in layers:
            k = index.get(id(layer))
            if k is None:
                k = next((j for j, b in enumerate(blocks) if b == layer), None)
                if k is None:
                    blocks.append(layer)
                    k = len(blocks) - 1
                index[id(layer)] = k
            stack.append(k)
        return cls(name, display_name, blocks=tuple(blocks), stack=tuple(stack), **fields)

    @cached_property
    def layers(self) -> tuple[Layer, ...]:
        """Every layer's block, in order."""
        return tuple(self.blocks[i] for i in self.stack)

    @property
    def is_architecture(self) -> bool:
        return bool(self.blocks)

    @property
    def depth(self) -> int | None:
        """The number of layers, or None for a bare parameter count without them."""
        return len(self.stack) if self.stack else self.declared_layers

    def kinds(self) -> list[Layer]:
        """The distinct layer kinds, in the order they first occur."""
        return list(self.blocks)

    def count_of(self, kind: int) -> int:
        return self.stack.count(kind)

    # ---- what reports, exports and the search read about the whole stack

    @property
    def attention(self) -> Attention | None:
        """The first attention block (the model's attention shape for exports and the search)."""
        for layer in self.blocks:
            if isinstance(layer, TransformerLayer) and layer.attention is not None:
                return layer.attention
        return None

    @property
    def moe(self) -> Moe | None:
        for layer in self.blocks:
            if isinstance(layer, TransformerLayer) and layer.moe is not None:
                return layer.moe
        return None

    @property
    def moe_layers(self) -> int:
        return sum(self.count_of(k) for k, b in enumerate(self.blocks) if isinstance(b, TransformerLayer) and b.moe)

    @property
    def attention_layers(self) -> int:
        return sum(self.count_of(k) for k, b in enumerate(self.blocks)
                   if isinstance(b, TransformerLayer) and b.attention)

    @property
    def ssm_layers(self) -> int:
        return sum(self.count_of(k) for k, b in enumerate(self.blocks) if isinstance(b, Mamba2Layer))
