"""Collective communication time (engine/collectives.py): message size, group size and placement.

Figures checked against independent sources: nccl-tests' bus bandwidth definition (doc/PERFORMANCE.md:
all-reduce busbw = algbw x 2(n-1)/n, reduce-scatter and all-gather algbw x (n-1)/n), the bus bandwidth
all_reduce_perf reaches on 8 x A100 SXM4 (230-250 GB/s at large sizes, Alaya New 'NCCL-tests in
practice'; NCCL's tuner caps A100 nodes at 235 GB/s), and the serving model's small-message latency.
"""

from __future__ import annotations

import numpy as np
import pytest

from capplan.core import constants as K
from capplan.engine import collectives as C

A100_NVLINK = 600e9       # NVLink 3: 12 links x 50 GB/s, both directions summed (data sheet)
HDR_PER_GPU = 25e9        # 200 Gb/s HDR InfiniBand per GPU
GB = 1e9


class _Hw:
    def __init__(self, intra=A100_NVLINK, inter=HDR_PER_GPU, per_node=8):
        self.intra_node, self.inter_node, self.per_node = intra, inter, per_node


class _Fw:
    def constant(self, c):
        return c.value


FAB = C.fabric(_Hw(), _Fw())


def busbw_allreduce(nbytes, n, local):
    """nccl-tests: algbw = bytes / time; busbw = algbw x 2(n-1)/n."""
    return nbytes / C.allreduce(FAB, nbytes, n, local) * 2 * (n - 1) / n


def test_a_large_all_reduce_in_one_a100_node_reaches_the_measured_bus_bandwidth():
    bw = busbw_allreduce(8 * 2**30, 8, 8)    # all_reduce_perf -e 8G
    assert 230 * GB <= bw <= 250 * GB


def test_small_messages_are_latency_bound_and_large_ones_bandwidth_bound():
    small = [C.allreduce(FAB, b, 8, 8) for b in (8, 64, 512, 1024)]
    assert max(small) / min(small) < 1.1                       # flat: latency
    t1, t2 = C.allreduce(FAB, 2**30, 8, 8), C.allreduce(FAB, 2**31, 8, 8)
    assert t2 / t1 == pytest.approx(2, rel=0.01)                # proportional: bandwidth
    # the bus bandwidth grows with the message size, as all_reduce_perf's busbw column does
    sizes = [2**k for k in range(3, 34, 2)]
    bws = [busbw_allreduce(s, 8, 8) for s in sizes]
    assert all(a <= b * 1.0001 for a, b in zip(bws, bws[1:]))
    assert bws[0] < 0.001 * bws[-1]


def test_the_small_message_latency_agrees_with_the_serving_models_assumption():
    # serving's ALLREDUCE_LATENCY: "10 us per small NVLink all-reduce (NCCL latency regime)", for TP 8; the ranks'
    # wait for each other on top of it is ALLREDUCE_WAIT, fitted on published serving figures
    assert C.allreduce(FAB, 16 * 1024, 8, 8) == pytest.approx(K.ALLREDUCE_LATENCY.value, rel=0.25)
    assert K.ALLREDUCE_WAIT.value > 0


def test_reduce_scatter_and_all_gather_move_half_an_all_reduce():
    big = 4 * 2**30
    rs = C.ring_collective(FAB, big, 8, 8)
    ar = C.allreduce(FAB, big, 8, 8)
    assert 2 * rs == pytest.approx(ar, rel=0.01)
    # nccl-tests: reduce-scatter busbw = algbw x (n-1)/n reaches the same bus bandwidth
    assert big / rs * 7 / 8 == pytest.approx(busbw_allreduce(big, 8, 8), rel=0.01)


def test_placement_sets_the_bandwidth_across_nodes():
    big = 4 * 2**30
    # 8 ranks in one node: NVLink; 8 ranks in 8 nodes (one each, as data parallelism under TP 8): one adapter
    one_node = busbw_allreduce(big, 8, 8)
    spread = busbw_allreduce(big, 8, 1)
    assert spread == pytest.approx(HDR_PER_GPU * K.NETWORK_EFFICIENCY.value, rel=0.05)
    assert one_node / spread > 8
    # 64 ranks, 8 per node: the node's 8 adapters carry the ring (rail-optimised), capped by NVLink
    assert busbw_allreduce(big, 64, 8) == pytest.approx(8 * HDR_PER_GPU * K.NETWORK_EFFICIENCY.value, rel=0.05)
    assert C.ranks_per_node(8, 8, 8) == 1 and C.ranks_per_node(16, 2, 8) == 4 and C.ranks_per_node(2, 1, 8) == 2


def test_a_tree_keeps_small_all_reduces_over_many_nodes_fast():
    # a ring's latency grows with 2(n-1) steps; NCCL's tree with log2(nodes): over 1,024 nodes a small
    # all-reduce must cost far less than 2 x 1,023 network steps
    t = C.allreduce(FAB, 1024, 1024, 1)
    ring_steps_only = 2 * 1023 * 2.7e-6
    assert t < ring_steps_only / 10


def test_all_to_all_across_nodes_is_bounded_by_the_network():
    per_rank = 1 * 2**30
    inside = C.all_to_all(FAB, per_rank, 8, 8)
    across = C.all_to_all(FAB, per_rank, 16, 8)
    # half of what a rank sends leaves the node through its own adapter
    assert across == pytest.approx(per_rank / 2 / (HDR_PER_GPU * K.NETWORK_EFFICIENCY.value), rel=0.01)
    assert across > 5 * inside


def test_scalars_and_arrays_agree():
    sizes = np.array([8.0, 1e6, 1e9])
    ranks = np.array([2, 8, 64])
    local = C.ranks_per_node(ranks, 1, 8)
    arr = C.allreduce(FAB, sizes, ranks, local)
    for i in range(3):
        assert arr[i] == pytest.approx(C.allreduce(FAB, float(sizes[i]), int(ranks[i]), int(local[i])))
    assert C.allreduce(FAB, 1e9, 1, 1) == 0.0


PLAN = """
training t {{
  model = llama2_7b
  gpu = a100_80gb
  gpus = 64
  precision = megatron_bf16
  seq_len = 4096 tokens
  micro_batch = 1
  global_batch = 256
  parallel {{ tensor = 2; data = 32; distributed_optimizer = true; sequence_parallel = true }}
  framework {{ implementation = megatron{extra} }}
}}
"""


def _time(extra=""):
    from capplan.pipeline import compile_files

    text = PLAN.format(extra=extra)
    comp = compile_files(["t.plan"], read=lambda path: text)
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    return comp.plans[0]["time"]


def test_the_named_overlap_switches_show_the_data_parallel_time():
    on, off = _time(), _time("; overlap_grad_reduce = false; overlap_param_gather = false")
    c_on, c_off = on["communication_s"], off["communication_s"]
    assert c_on["data_total"] == pytest.approx(c_off["data_total"])    # the same bytes move either way
    assert c_off["data"] == pytest.approx(c_off["data_total"])          # nothing hidden
    assert c_on["data"] < c_off["data"] / 5                            # mostly behind the backward pass
    # what the overlap hides still slows the compute under it (Lee et al. 2025's 18.9%), so the step saves
    # that much less than the hidden time; with nothing hidden there is no slowdown
    hidden = c_off["data"] - c_on["data"]
    assert off["overlap_slowdown_s"] == 0.0
    assert on["overlap_slowdown_s"] == pytest.approx(K.OVERLAP_SLOWDOWN.value * hidden)
    assert off["step_s"] - on["step_s"] == pytest.approx(hidden * (1 - K.OVERLAP_SLOWDOWN.value))


def test_tp_comm_overlap_hides_tensor_parallel_time_only_with_sequence_parallelism():
    sp = PLAN.replace("sequence_parallel = true", "sequence_parallel = true; tensor = 8; data = 8").replace(
        "tensor = 2; data = 32; ", "")
    def t(extra, text):
        from capplan.pipeline import compile_files

        body = text.format(extra=extra)
        comp = compile_files(["t.plan"], read=lambda path: body)
        assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
        return comp.plans[0]["time"]["communication_s"]
    plain, chunked = t("", sp), t("; tp_comm_overlap = true", sp)
    assert chunked["tensor_total"] == pytest.approx(plain["tensor_total"])     # the same bytes move
    assert chunked["tensor"] < plain["tensor"] / 2                            # mostly under the GEMMs
    no_sp = sp.replace("sequence_parallel = true", "sequence_parallel = false")
    assert t("; tp_comm_overlap = true", no_sp)["tensor"] == pytest.approx(t("", no_sp)["tensor"])


def test_a_plan_of_more_than_one_server_without_a_cluster_is_warned_of_its_single_node():
    from capplan.pipeline import compile_files

    def codes(text):
        comp = compile_files(["t.plan"], read=lambda path: text)
        return [d.code for d in comp.diagnostics.items]

    assert "W0201" in codes(PLAN.format(extra=""))                                # 64 GPUs, no cluster
    eight = PLAN.format(extra="").replace("gpus = 64", "gpus = 8").replace("data = 32", "data = 4")
    assert "W0201" not in codes(eight)                                            # one server
    clustered = PLAN.format(extra="").replace("  gpu = a100_80gb\n  gpus = 64\n", "  cluster = c\n")
    assert "W0201" not in codes("cluster c {\n  gpu = a100_80gb\n  gpus_per_node = 8\n  nodes = 8\n"
                                "  inter_node = 200 Gbit/s\n}\n" + clustered)


def test_a_gb200_plan_without_a_cluster_is_one_nvl72_rack_per_72_gpus():
    # GB200 NVL72 puts 72 GPUs on one NVLink switch system (NVIDIA GB200 NVL72 data sheet); an HGX board 8
    from capplan.pipeline import compile_files

    def compiled(gpu, gpus):
        text = f"""
training t {{
  model = llama3_1_70b
  gpu = {gpu}
  gpus = {gpus}
  precision = megatron_bf16
  seq_len = 8192 tokens
  micro_batch = 1
  global_batch = 576
  parallel {{ tensor = 8; pipeline = 9; data = {gpus // 72}; sequence_parallel = true; distributed_optimizer = true }}
  framework {{ implementation = megatron }}
  require not fits or fits
}}
"""
        return compile_files(["t.plan"], read=lambda path: text)

    rack = compiled("gb200", 72)
    assert "W0201" not in [d.code for d in rack.diagnostics.items]
    assert rack.plans[0]["hardware"]["gpus_per_node"] == 72
    two = compiled("gb200", 144)
    [w] = [d for d in two.diagnostics.items if d.code == "W0201"]
    assert "2 servers of 72" in w.message
    # the same layout on servers of 8 sends its pipeline over the network: slower
    hgx = compiled("b200", 72)
    assert hgx.plans[0]["hardware"]["gpus_per_node"] == 8
    assert (hgx.plans[0]["time"]["communication_s"]["pipeline"]
            > rack.plans[0]["time"]["communication_s"]["pipeline"])


DEEPSPEED = """
training t {{
  model = llama2_7b
  gpu = a100_80gb
  gpus = 16
  precision = megatron_bf16
  seq_len = 4096 tokens
  micro_batch = 1
  global_batch = {gb}
  parallel {{ data = 16; zero = {zero} }}
  framework {{ runtime = deepspeed }}
}}
"""


def _data_total(gb: int, zero: int) -> float:
    from capplan.pipeline import compile_files

    text = DEEPSPEED.format(gb=gb, zero=zero)
    comp = compile_files(["t.plan"], read=lambda path: text)
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    return comp.plans[0]["time"]["communication_s"]["data_total"]


def test_partitioned_gradients_are_reduced_every_micro_batch():
    """DeepSpeed reduce-scatters ZeRO-2's and ZeRO-3's gradients in every micro-step's backward (they keep only
    their partition: stage_1_and_2.py reduce_ready_partitions_and_remove_grads when partition_gradients,
    stage3.py always) and ZeRO-1's at the accumulation boundary only; ZeRO-3 gathers the parameters for each
    micro-batch's forward and backward and not after the step (stage3.py's pre-forward fetch)."""
    one, four, eight = (16 * m for m in (1, 4, 8))          # 1, 4 and 8 micro-batches per step
    assert _data_total(one, 2) == pytest.approx(_data_total(one, 1))   # one micro-batch: the same collectives
    extra4, extra8 = (_data_total(gb, 2) - _data_total(gb, 1) for gb in (four, eight))
    assert extra4 > 0 and extra8 / extra4 == pytest.approx(7 / 3)       # (M - 1) more reductions
    assert _data_total(four, 1) == pytest.approx(_data_total(one, 1))   # ZeRO-1: once a step whatever M
    # ZeRO-3: M reductions and 2 M gathers; ZeRO-2: M reductions and one gather after the step
    gathers = (_data_total(eight, 3) - _data_total(eight, 2)) / (_data_total(four, 3) - _data_total(four, 2))
    assert gathers == pytest.approx((2 * 8 - 1) / (2 * 4 - 1))
