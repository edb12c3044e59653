"""A model as the engine sees it: embeddings, a sequence of typed layers, a head."""

from __future__ import annotations

from dataclasses import dataclass

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
    """A model by architecture (`layers` non-empty) or by a bare parameter count (`params`)."""

    name: str
    display_name: str
    hidden: int | None = None
    vocab: int | None = None
    layers: tuple[Layer, ...] = ()
    embeddings: Embeddings | None = None
    head: Head = Head()
    max_seq: float | None = None
    params: float | None = None           # a rule-of-thumb model: its total parameters
    declared_layers: int | None = None    # a rule-of-thumb model's layer count, if given
    architecture_fields: tuple = ()       # (name, value) pairs as the spec gave them, for reports

    @property
    def is_architecture(self) -> bool:
        return bool(self.layers)

    @property
    def depth(self) -> int | None:
        """The number of layers, or None for a bare parameter count without them."""
        return len(self.layers) if self.layers else self.declared_layers

    def kinds(self) -> list[Layer]:
        """The distinct layer kinds, in the order they first occur."""
        out: list[Layer] = []
        for layer in self.layers:
            if layer not in out:
                out.append(layer)
        return out

    # ---- what reports, exports and the search read about the whole stack

    @property
    def attention(self) -> Attention | None:
        """The first attention block (the model's attention shape for exports and the search)."""
        for layer in self.layers:
            if isinstance(layer, TransformerLayer) and layer.attention is not None:
                return layer.attention
        return None

    @property
    def moe(self) -> Moe | None:
        for layer in self.layers:
            if isinstance(layer, TransformerLayer) and layer.moe is not None:
                return layer.moe
        return None

    @property
    def moe_layers(self) -> int:
        return sum(1 for layer in self.layers if isinstance(layer, TransformerLayer) and layer.moe)

    @property
    def attention_layers(self) -> int:
        return sum(1 for layer in self.layers if isinstance(layer, TransformerLayer) and layer.attention)

    @property
    def ssm_layers(self) -> int:
        return sum(1 for layer in self.layers if isinstance(layer, Mamba2Layer))
