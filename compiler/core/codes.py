"""The catalogue of diagnostic codes: stable code, kebab-case name, docs.

Every code here has at least one golden test in tests/golden/diagnostics/.
`capplan explain CODE` prints the entry.
"""

from __future__ import annotations

from capplan.core.records import Record, record


@record
class Code(Record):
    """One diagnostic code: its kebab-case name, a one-line summary and the explanation."""

    code: str
    slug: str
    summary: str
    explanation: str

    def __init__(self, code: str, slug: str, summary: str, explanation: str) -> None:
        self.__dict__.update(code=code, slug=slug, summary=summary, explanation=explanation)


_ENTRIES = [
    # -- E01xx: syntax -------------------------------------------------------
    ("E0101", "unexpected-token", "The parser met a token it did not expect here.",
     "Each statement is `name = value` on its own line (or separated by `;`), "
     "a sub-block `name { ... }`, or a `require` line. Declarations look like "
     "`model NAME { ... }`. The message lists what would have been accepted."),
    ("E0102", "unexpected-character", "A character that starts no token of the language.",
     "Only names, numbers with units, strings in double quotes, operators "
     "`+ - * / < <= > >= == !=`, brackets and `#` comments are valid."),
    ("E0103", "unexpected-end-of-file", "The file ended inside a block or expression.",
     "Usually a missing closing `}` or `]`."),
    # -- E02xx: names and references -------------------------------------------
    ("E0201", "unknown-name", "A reference names nothing in scope.",
     "Names in scope are the declarations of this file, of the files it imports, "
     "named constants, and the standard catalog (`capplan catalog` lists it)."),
    ("E0202", "duplicate-declaration", "Two declarations have the same name.",
     "Every declaration name is global across a file and its imports. Rename one, "
     "or derive one from the other with `from`."),
    ("E0203", "unknown-kind", "A declaration kind that the language does not have.",
     "Kinds are: gpu, cluster, model, precision, training, inference, search."),
    ("E0204", "wrong-kind", "A reference names a declaration of the wrong kind.",
     "For example `model = a100_80gb` names a gpu where a model is expected."),
    ("E0205", "reference-cycle", "Declarations or constants refer to each other in a cycle.",
     "A `from` chain or a constant's definition leads back to itself."),
    ("E0206", "base-kind-mismatch", "`from` names a declaration of another kind.",
     "A model can only be derived from a model, a gpu from a gpu, and so on."),
    ("E0207", "duplicate-field", "A field is set twice in one block.",
     "Each field may be assigned once per block; remove one of them."),
    # -- E03xx: units -----------------------------------------------------------
    ("E0301", "unit-mismatch", "A quantity has the wrong dimension for where it is used.",
     "capplan keeps information (bit, byte), time, FLOP, tokens, parameters, GPUs "
     "and currency as distinct dimensions: `80 GB/s` is a rate and cannot be a "
     "memory size. The message shows the dimension found and the one expected."),
    ("E0302", "unknown-unit", "A unit that capplan's registry does not define.",
     "capplan's units come from its own definitions file (capplan/check/units.txt). "
     "Decimal (GB = 10^9 B) and binary (GiB = 2^30 B) prefixes are both accepted "
     "and differ by 7.37% at giga. `b` (barn) and `Gb` (gilbert) are rejected: "
     "write `bit`/`B`, `Gbit`/`GB`."),
    ("E0303", "missing-unit", "A plain number where a quantity with a unit belongs.",
     "Write the unit: `memory = 80 GiB`, not `memory = 80`."),
    ("E0304", "unexpected-unit", "A unit on a value that is a plain count or ratio.",
     "Counts such as `layers` and `heads` take plain numbers."),
    ("E0305", "incompatible-operands", "Arithmetic on quantities whose dimensions do not combine.",
     "`+`, `-` and comparisons need operands of the same dimension."),
    # -- E04xx: schema -------------------------------------------------------------
    ("E0401", "unknown-field", "A field that this kind of block does not have.",
     "`capplan explain` on the kind (e.g. `capplan explain model`) lists the fields."),
    ("E0402", "missing-field", "A required field is missing.",
     "Add the field to the block, or derive the block from one that has it."),
    ("E0403", "invalid-value", "A value of the wrong type, or not one of the allowed choices.",
     "The message lists the accepted values."),
    ("E0404", "out-of-range", "A value outside its valid range (zero or negative size, a percentage over 100%...).",
     "Sizes, counts and rates must be positive; fractions lie between 0 and 1."),
    ("E0405", "not-an-integer", "A count that is not a whole number.",
     "Layers, heads, GPUs and batch sizes are whole numbers."),
    ("E0406", "inconsistent-model", "Architecture fields that cannot describe a real model.",
     "For example attention heads not divisible by key/value heads."),
    ("E0407", "inconsistent-layout", "A parallel layout that cannot exist for this model or cluster.",
     "Tensor parallelism must divide the attention heads and KV heads, pipeline "
     "stages cannot outnumber layers, the layout must use exactly the GPUs given, "
     "the global batch must divide into micro-batches times data-parallel ranks, "
     "and experts must divide by expert parallelism."),
    ("E0408", "inapplicable-field", "A field that has no meaning in the plan's inference recipe or training "
     "runtime.",
     "Some inference fields belong to one recipe: `block_size` and `prefill_chunk` to the paged cache "
     "(vLLM), `loss` and `use_cache` to `mode = forward`, `output`, `cache`, `requests` and a `tpot` "
     "target to `mode = generate`. Some framework fields belong to one training runtime: "
     "`gradient_as_bucket_view` to PyTorch DDP, `reduce_bucket_size` and `sub_group_size` to DeepSpeed. "
     "Remove the field or change `mode`/`cache`/`runtime`."),
    # -- E05xx: imports -----------------------------------------------------------
    ("E0501", "import-not-found", "An imported file does not exist.",
     "Import paths are relative to the importing file."),
    ("E0502", "import-cycle", "Files import each other in a cycle.",
     "Move the shared declarations to a third file that both import."),
    ("E0503", "import-outside-project", "An import leaves the project's directory tree.",
     "Imports are confined to the project root (the nearest directory holding "
     "`capplan.toml` or `.git`, or the directory of the file given on the command "
     "line). Spec files arrive in pull requests: they may not read other files."),
    ("E0504", "absolute-import", "An import path is absolute.",
     "Use a path relative to the importing file."),
    ("E0505", "unreadable-file", "A spec file could not be read or decoded as UTF-8.",
     "Check the path and that the file is UTF-8 text."),
    ("E0506", "not-a-regular-file", "A file named or imported is a device, a pipe, a socket or a directory.",
     "capplan reads regular files only: a spec that is a link to /dev/zero or a named pipe would "
     "never end. Commit the file itself."),
    ("E0507", "file-too-large", "A file is larger than capplan's size limit.",
     "Specs are limited to 1 MiB and Hugging Face configs to 16 MiB by default; the limit is read "
     "while the file is read, so a growing file cannot pass it. Split the file, or raise the limit "
     "where capplan runs (CAPPLAN_LIMIT_MAX_SPEC_BYTES, see SECURITY.md)."),
    ("E0508", "entry-outside-project", "A file named on the command line resolves outside its project.",
     "Usually a committed symbolic link pointing out of the repository. The file named is confined "
     "like an import: its real path must lie inside the project root (the nearest directory holding "
     "`capplan.toml` or `.git` above the path given). Nothing of the target is read."),
    ("E0509", "import-too-deep", "A chain of imports is deeper than the limit.",
     "At most 64 files in one chain of imports by default (CAPPLAN_LIMIT_MAX_IMPORT_DEPTH). Import "
     "shared files from one place instead of chaining them."),
    # -- E06xx: requirements and results -----------------------------------------
    ("E0601", "requirement-failed", "A `require` condition does not hold for the evaluated plan.",
     "`capplan check` exits 1. The message shows the values on both sides."),
    ("E0602", "unknown-result", "A `require` line names a result the workload does not produce.",
     "`capplan explain results` lists the result names per workload kind."),
    ("E0604", "unevaluable-requirement", "A `require` line names a figure the plan cannot compute.",
     "For example `step_time` when the GPU gives no dense peak for the plan's precision, or `cost` "
     "without a price or `tokens`. The message says which figure is missing."),
    ("E0603", "does-not-fit", "A plan needs more memory than a GPU has.",
     "The message names the rank and the figure; see `capplan eval` for the breakdown."),
    ("E0605", "no-such-requirement", "A `drop require` line matches no requirement the plan inherits.",
     "A plan derived with `from` inherits its base's `require` lines; `drop require CONDITION` removes "
     "the one written with the same condition (spacing and number spelling aside)."),
    # -- E07xx: unsupported -------------------------------------------------------
    ("E0701", "not-supported-yet", "A construct the language accepts but capplan does not evaluate yet.",
     "The plan is checked, but the part named is not evaluated; the message says which."),
    # -- E08xx: resource budgets -------------------------------------------------
    ("E0801", "number-out-of-range", "A number too large (or too long) to compute with.",
     "Literals have at most 40 digits, and every literal and every result of arithmetic must be "
     "finite and below 10^100 in canonical units (bytes, seconds, FLOP...). `1e309` or a product "
     "that overflows is an error here rather than `inf` in the results."),
    ("E0802", "unit-too-complex", "A unit with too many factors or too large an exponent.",
     "A unit is at most 8 factors (`GiB*s/h` is 3) with exponents up to 4 (`m^2`); `GiB^99999999999` "
     "would make the unit library compute a number with billions of digits."),
    ("E0803", "nesting-too-deep", "Blocks, lists, brackets or operators nested deeper than the limit.",
     "At most 100 levels by default: a sum of 1,000 terms is 1,000 levels of `+`. Name parts of the "
     "expression with `const`, or raise CAPPLAN_LIMIT_MAX_SYNTAX_DEPTH where capplan runs."),
    ("E0804", "too-many-plans", "A file declares more plans than the limit.",
     "At most 1,000 training, inference, search and goal declarations per file by default "
     "(CAPPLAN_LIMIT_MAX_PLANS_PER_FILE). Split them over several files."),
    ("E0805", "search-space-too-large", "A `search` would evaluate more layouts than its limit.",
     "At most 50,000 candidate layouts by default. The message names the dimensions with the most "
     "values: narrow them with `vary` or `require`, or raise the search's own limit with "
     "`max_layouts = N`."),
    # -- W: warnings -------------------------------------------------------------
    ("W0101", "shadows-catalog", "A declaration has the same name as a standard catalog entry.",
     "The local declaration wins in this file set. Rename it, or derive it with "
     "`from` to make the intent explicit."),
    ("W0201", "servers-assumed", "A plan gives `gpu` and more than 8 `gpus` but no cluster.",
     "Without a cluster, `gpu` x `gpus` is taken as servers of 8 GPUs (an HGX/DGX baseboard) on the default "
     "network (`inter_node_default`, 200 Gbit/s per GPU), so that communication between servers crosses a "
     "network. Name a cluster (gpus_per_node, nodes, inter_node) to say what you have: larger NVLink domains "
     "(NVL72 racks) or a faster network."),
    ("W0202", "setting-has-no-effect", "A framework switch the plan's layout gives nothing to act on.",
     "`moe_dispatcher = deepep` or `ep_comm_overlap` without expert parallelism, `tp_comm_overlap` without "
     "tensor and sequence parallelism, `pipeline_scatter_gather` without a pipeline, tensor parallelism, or with "
     "sequence parallelism: the estimate is the same with or without it. Remove it, or change the layout."),
]

CODES: dict[str, Code] = {c: Code(c, slug, summary, expl) for c, slug, summary, expl in _ENTRIES}
