"""BERT and RoBERTa encoders, counted as sequence classifiers: transformers BertConfig / RobertaConfig,
modeling_bert.py / modeling_roberta.py (BertForSequenceClassification, RobertaForSequenceClassification).

Both are post-norm stacks (BertSelfOutput / BertOutput: LayerNorm(x + sublayer(x)), no final norm),
with biases on every Linear and LayerNorm, learned absolute positions, a token-type embedding and
a LayerNorm on the embedding sum (BertEmbeddings), bidirectional attention unless `is_decoder`.
The head is BERT's pooler (dense hidden x hidden, tanh) and classifier (num_labels x hidden);
RoBERTa has no pooler but its RobertaClassificationHead (dense hidden x hidden, then out_proj
num_labels x hidden, both with bias) has the same shapes, so both are written `pooler = true`,
`classes = num_labels`, as the catalog entries (compiler/catalog/models_encoder.plan) are.

RoBERTa numbers positions from pad_token_id + 1 (RobertaEmbeddings.create_position_ids_from_input_ids),
so its table of max_position_embeddings rows holds max_position_embeddings - pad_token_id - 1 usable
positions: `max_seq` is that, `position_offset` the pad_token_id + 1 rows before them.
"""

from __future__ import annotations

from capplan.tools.import_hf.context import ConfigError, Family, ImportContext
from capplan.tools.import_hf.common import (map_activation, map_dense_ffn, map_dropouts, map_max_seq,
                                            set_biases)


def _map_labels(ctx: ImportContext) -> None:
    """PretrainedConfig: the label count is len(id2label) when given, else num_labels, else 2."""
    id2label = ctx.raw("id2label")
    given = ctx.int_("num_labels", None, null=None)
    if id2label is not None:
        if not isinstance(id2label, dict) or not id2label:
            raise ConfigError("`id2label` must map at least one label id to a name")
        if given is not None and given != len(id2label):
            raise ConfigError(f"`num_labels` = {given} but `id2label` names {len(id2label)} labels "
                              "(transformers refuses the config)")
        classes, how = len(id2label), "len(id2label)"
    elif given is not None:
        classes, how = given, "num_labels"
    else:
        classes, how = 2, "num_labels absent: PretrainedConfig default 2"
    ctx.set("classes", classes, how)
    ctx.ignore({"label2id": "the label names; the count comes from id2label or num_labels"})


def _map_encoder(ctx: ImportContext, roberta: bool) -> None:
    layers = ctx.int_("num_hidden_layers", 12)
    hidden = ctx.int_("hidden_size", 768)
    heads = ctx.int_("num_attention_heads", 12)
    ctx.set("layers", layers, "num_hidden_layers")
    ctx.set("hidden", hidden, "hidden_size")
    ctx.set("heads", heads, "num_attention_heads")
    if hidden % heads:
        raise ConfigError(f"hidden_size {hidden} is not a multiple of num_attention_heads {heads} "
                          "(BertSelfAttention refuses it)")
    map_dense_ffn(ctx, 3072)
    ctx.set("mlp", "plain", "intermediate.dense, output.dense")
    map_activation(ctx, "hidden_act", ctx.str_("hidden_act", "gelu"))
    ctx.set("vocab", ctx.int_("vocab_size", 50265 if roberta else 30522), "vocab_size")
    ctx.set("norm", "layernorm", "LayerNorm with weight and bias")
    eps = ctx.float_("layer_norm_eps", 1e-12)
    ctx.set("norm_eps", eps, "layer_norm_eps" if ctx.has("layer_norm_eps")
            else f"layer_norm_eps absent: {ctx.config_class} default")
    ctx.set("final_norm", False, "post-norm: the last layer ends with its own LayerNorm")
    ctx.set("post_norm", True, "LayerNorm(x + sublayer(x)) after attention and after the MLP")
    decoder = ctx.bool_("is_decoder", False)
    ctx.set("bidirectional", not decoder, "is_decoder true: causal self-attention" if decoder
            else "self-attention over the whole sequence (is_decoder false)")
    set_biases(ctx, True, True, True, "every Linear has a bias")
    ctx.set("position", "learned", "position_embeddings")
    if roberta:
        pad = ctx.int_("pad_token_id", 1, allow_zero=True, null=None)
        if pad is None:
            raise ConfigError("`pad_token_id` is null: RoBERTa numbers positions from pad_token_id + 1")
        rows = ctx.int_("max_position_embeddings", 512)
        offset = pad + 1
        if rows <= offset:
            raise ConfigError(f"max_position_embeddings {rows} leaves no position after the first {offset} "
                              "(positions start at pad_token_id + 1)")
        how = "max_position_embeddings" if ctx.has("max_position_embeddings") \
            else f"max_position_embeddings absent: {ctx.config_class} default"
        ctx.set("max_seq", rows - offset, f"{how} {rows} - position_offset {offset}")
        ctx.set("position_offset", offset, "positions start at pad_token_id + 1" if ctx.has("pad_token_id")
                else "pad_token_id absent: RobertaConfig default 1; positions start at 2")
    else:
        map_max_seq(ctx, ("max_position_embeddings",), 512)
    ctx.set("token_types", ctx.int_("type_vocab_size", 2), "type_vocab_size" if ctx.has("type_vocab_size")
            else f"type_vocab_size absent: {ctx.config_class} default")
    ctx.set("embedding_norm", True, "embeddings.LayerNorm")
    ctx.set("pooler", True, "classifier.dense (RobertaClassificationHead): the shapes of BERT's pooler"
            if roberta else "BertPooler: dense + tanh on the first token")
    _map_labels(ctx)
    map_dropouts(ctx, ("hidden_dropout_prob", 0.1), ("attention_probs_dropout_prob", 0.1))
    ctx.ignore_if("add_cross_attention", False, "no cross-attention",
                  "cross-attention in every layer (a second BertAttention: 4h^2 + 6h parameters per layer); "
                  "no field")
    ctx.ignore_if("position_embedding_type", "absolute", "absolute positions (the only kind transformers 5 "
                  "builds)", "relative positions (distance_embedding in transformers 4); transformers 5.23 "
                  "no longer reads the key and builds absolute positions, as this block does")
    ctx.ignore_if("gradient_checkpointing", False, "legacy training switch, off",
                  "a legacy training switch: set `recompute = full` in the training plan instead")
    ctx.ignore({
        "architectures": "class names; capplan counts the sequence classifier of the model_type",
        "classifier_dropout": "dropout before the classifier: a batch x hidden mask; no field",
        "tie_word_embeddings": "the sequence-classification head has no vocabulary projection to tie",
    })


def map_bert(ctx: ImportContext) -> None:
    _map_encoder(ctx, roberta=False)


def map_roberta(ctx: ImportContext) -> None:
    _map_encoder(ctx, roberta=True)


BERT = Family("bert", map_bert, config_class="BertConfig", hf_class="BertForSequenceClassification",
              modeling="modeling_bert.py",
              head="the sequence-classification head: pooler hidden x hidden + classifier num_labels x hidden")
ROBERTA = Family("roberta", map_roberta, config_class="RobertaConfig", hf_class="RobertaForSequenceClassification",
                 modeling="modeling_roberta.py",
                 head="the sequence-classification head: dense hidden x hidden + out_proj num_labels x hidden")
