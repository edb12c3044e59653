"""The report's sections, each a few functions from the evaluated plans to the view model.

summary (verdict, summary table, key figures), model (model cards), layout (hardware, layout,
precision, serving capacity), memory (the memory chart and verdict), curves (memory against
sequence length and batch), notes (a plan's notes, the diagnostics), figures (provenance),
time_cost (step time, serving latency and cost), time_summary (time in the executive summary),
search (strategy searches), procurement (goals), assumptions (engine constants), sources (the
spec sources), plan (one plan's section). capplan.render.report.build assembles them.
"""
