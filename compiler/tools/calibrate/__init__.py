"""`capplan calibrate`: fit capplan's named constants to a user's own measurements (Megatron-LM logs,
vLLM benchmark results, PyTorch profiler tables, nccl-tests output) and write a `calibration` block
that specs import and plans name in their `framework` block. See capplan.tools.calibrate.command."""
