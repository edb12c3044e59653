"""`capplan import-hf`: turn a Hugging Face config.json into a `model` block.

Each supported `model_type` has an importer that reads the keys its transformers
configuration class and modeling code read, applies the same defaults when a
key is absent (the class defaults and `__post_init__` rules of transformers
5.x, e.g. FalconConfig ffn_hidden_size = 4 * hidden_size, Qwen3Config
head_dim = 128, MistralConfig num_key_value_heads = 8), and sets the schema
fields that reproduce the parameter count transformers instantiates: the
causal-LM class, or for the encoders (BERT, RoBERTa) the sequence classifier
(*ForSequenceClassification, num_labels outputs); `Family.hf_class` names it.

Every key of the config is accounted for, in one of four ways:

* mapped to a field (each field line names the keys it came from);
* ignored: on a per-family list of keys known to have no effect on parameters
  or memory (rope_theta, token ids, initializer_range, ...), with the reason
  (`ImportResult.ignored`; printed only with `--show-ignored`);
* noted: read, but belonging elsewhere in a plan (quantization_config: the
  weight format is the inference plan's `weights`) -- a warning;
* unmapped: unknown keys, and keys whose effect the schema cannot express
  (OPT word_embed_proj_dim != hidden_size, DeepSeek MTP layers, ...). These
  are listed in `ImportResult.unmapped`, written as `# UNMAPPED` comments in
  the block and warned about; `--strict` makes them an error.

Nothing here imports torch or transformers: the rules are written out.

Layout: command (the reader and `capplan import-hf`), registry (the table of supported families),
families/ (one module per model family: its mappers), common (what the mappers share), context
(the per-import context a mapper fills), block (the `model` block, laid out by capplan.lang.formatter).
"""
