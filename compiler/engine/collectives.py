"""Collective communication time from message size, group size and placement.

A collective's time is a latency plus its bytes over a bus bandwidth (the alpha-beta model that
NCCL's own tuner uses to choose an algorithm and a protocol: NVIDIA/nccl src/graph/tuning.cc,
ncclTopoTuneModel and ncclTopoGetAlgoTime):

  time = latency(algorithm, protocol, steps over NVLink, steps over the network)
         + bytes x volume / (bus bandwidth x protocol share)

- volume is what each rank sends per byte of the buffer, the factor nccl-tests uses to turn
  algorithm bandwidth into bus bandwidth (nccl-tests doc/PERFORMANCE.md): all-reduce 2 (n - 1)/n,
  reduce-scatter and all-gather (n - 1)/n of the whole buffer, all-to-all (n - 1)/n of what a rank
  sends, send/receive 1.
- The bus bandwidth depends on placement. A group whose n ranks share one node runs at the NVLink
  bandwidth per direction x `nvlink_efficiency`. A group spread over nodes with k of its ranks in
  each node sends through k network adapters per node (rail-optimised clusters give each GPU its
  own): min(NVLink share, k x network per GPU x `network_efficiency`).
- Latency: NCCL's base latency per algorithm and protocol plus a per-step latency per link kind,
  ring steps 2 (n - 1) for an all-reduce (n - 1 for reduce-scatter and all-gather), of which
  2 (nodes - 1) cross the network; tree all-reduce 2 ((ranks per node - 1) intra + log2(nodes) inter).
  The small-message protocol LL has a low latency at a quarter of the bandwidth (ring); Simple
  has the full bandwidth and a higher latency. The faster of the choices is taken, as NCCL's
  tuner does: small messages are latency-bound, large ones bandwidth-bound.

Every function takes numbers (one plan) or numpy arrays (a search), like engine/timing.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from capplan.core import constants as K
from capplan.engine.vector import log2, logical_and, maximum, minimum, where

SOURCE = ("NVIDIA/nccl src/graph/tuning.cc (ncclTopoTuneModel: baseLat, hwLat, the LL and tree bandwidth "
          "factors, the ring's step counts; ncclTopoGetAlgoTime: time = latency + bytes / algorithm bandwidth); "
          "nccl-tests doc/PERFORMANCE.md (bus bandwidth)")
FORMULA = ("latency + bytes x volume / bus bandwidth; volume: all-reduce 2(n-1)/n, reduce-scatter and all-gather "
           "(n-1)/n, all-to-all (n-1)/n, send 1; bus bandwidth: one node NVLink x nvlink_efficiency, across nodes "
           "min(that, ranks per node x network x network_efficiency); the fastest of ring/tree x LL/Simple")

US = 1e-6
# NCCL's cost model (tuning.cc), in seconds: base latency per (algorithm, protocol) ...
_BASE = {("ring", "ll"): 3.6 * US, ("ring", "simple"): 8.4 * US, ("tree", "ll"): 4.4 * US, ("tree", "simple"): 0.0}
# ... and latency per step over NVLink and over the network
_STEP = {
    "nvlink": {("ring", "ll"): 0.47 * US, ("ring", "simple"): 3.4 * US, ("tree", "ll"): 0.52 * US,
               ("tree", "simple"): 28 * US},
    "net": {("ring", "ll"): 2.7 * US, ("ring", "simple"): 9.6 * US, ("tree", "ll"): 5.0 * US,
            ("tree", "simple"): 50 * US},
}
_LL_SHARE = {"ring": 1 / 4, "tree": 1 / 3.8}   # LL moves 8 bytes of which 4 are data, with flag overhead
_LL_INTRA_MULTINODE = 1.8                      # NVLink steps of LL cost more once the job spans nodes
_RING_PLATEAU = 1.9                            # large multi-node ring all-reduces: latency x 1.9
_TREE_SHARE = 0.9                              # tree bandwidth: 90% of the bus bandwidth ...
_TREE_CAP = (110e9, 80e9)                      # ... at most 110 GB/s over <= 2 nodes, 80 GB/s over more


@dataclass(frozen=True)
class Fabric:
    """The links a plan's GPUs talk over, in bytes/s per GPU per direction, at their achievable share."""

    nvlink: float        # inside a node (0: none; the network carries everything)
    network: float       # between nodes

    @property
    def inside(self) -> float:
        """The bandwidth between GPUs of one node: NVLink, or the network where there is none."""
        return self.nvlink if self.nvlink > 0 else self.network

    @property
    def inside_kind(self) -> str:
        """Which of NCCL's per-step latencies that link has."""
        return "nvlink" if self.nvlink > 0 else "net"


def fabric(hw, fw) -> Fabric:
    """A plan's fabric: the cluster's links (data sheets give NVLink with both directions summed)."""
    network = (hw.inter_node or fw.constant(K.INTER_NODE_DEFAULT)) * fw.constant(K.NETWORK_EFFICIENCY)
    nvlink = (hw.intra_node or 0.0) / 2 * fw.constant(K.NVLINK_EFFICIENCY)
    return Fabric(nvlink, network)


def ranks_per_node(size, stride, per_node):
    """How many ranks of a group of `size` ranks, `stride` apart in the global rank order, share a node."""
    return where(stride >= per_node, 1, minimum(size, maximum(1, per_node // maximum(stride, 1))))


def bus_bandwidth(fab: Fabric, size, local):
    """Bus bandwidth of a group of `size` ranks with `local` of them in each node."""
    return where(size <= local, fab.inside, minimum(fab.inside, local * fab.network))


def _latency(fab: Fabric, algorithm: str, protocol: str, steps, net_steps, nodes):
    intra = _STEP[fab.inside_kind][(algorithm, protocol)]
    if protocol == "ll":
        intra = where(nodes > 1, intra * _LL_INTRA_MULTINODE, intra)
    return _BASE[(algorithm, protocol)] + (steps - net_steps) * intra + net_steps * _STEP["net"][(algorithm, protocol)]


def allreduce(fab: Fabric, nbytes, size, local):
    """Seconds of an all-reduce of `nbytes` over `size` ranks, `local` per node: ring or tree, LL or Simple."""
    n = maximum(size, 1)
    k = minimum(local, n)
    nodes = n / k
    bus = bus_bandwidth(fab, n, k)
    volume = 2 * (n - 1) / n * nbytes
    steps, net_steps = 2 * (n - 1), 2 * (nodes - 1)
    ring_simple = _latency(fab, "ring", "simple", steps, net_steps, nodes)
    ring_simple = where(logical_and(nodes > 1, nbytes >= n / 16 * 65536), ring_simple * _RING_PLATEAU, ring_simple)
    best = minimum(ring_simple + volume / bus,
                   _latency(fab, "ring", "ll", steps, net_steps, nodes) + volume / (bus * _LL_SHARE["ring"]))
    # the tree (a pipelined reduce then broadcast; over nodes only): 2 bytes per byte at 90% of the bus, capped
    tree_bus = minimum(bus * _TREE_SHARE, where(nodes > 2, _TREE_CAP[1], _TREE_CAP[0]))
    tree_steps = 2 * (k - 1)
    tree_net = 2 * log2(maximum(nodes, 1))
    for protocol, share in (("simple", 1.0), ("ll", _LL_SHARE["tree"])):
        tree = _latency(fab, "tree", protocol, tree_steps + tree_net, tree_net, nodes) + 2 * nbytes / (tree_bus * share)
        best = where(nodes > 1, minimum(best, tree), best)
    return where(size > 1, best, 0.0)


def ring_collective(fab: Fabric, nbytes, size, local):
    """Seconds of a reduce-scatter or an all-gather whose whole (unsharded) buffer is `nbytes`."""
    n = maximum(size, 1)
    k = minimum(local, n)
    nodes = n / k
    bus = bus_bandwidth(fab, n, k)
    volume = (n - 1) / n * nbytes
    steps, net_steps = n - 1, nodes - 1
    best = minimum(_latency(fab, "ring", "simple", steps, net_steps, nodes) + volume / bus,
                   _latency(fab, "ring", "ll", steps, net_steps, nodes) + volume / (bus * _LL_SHARE["ring"]))
    return where(size > 1, best, 0.0)


def all_to_all(fab: Fabric, nbytes, size, local):
    """Seconds of an all-to-all in which each rank sends `nbytes` in all, (n - 1)/n of it to the others, as
    concurrent sends: those to ranks in other nodes share the network, the others NVLink."""
    n = maximum(size, 1)
    k = minimum(local, n)
    local_part = (k - 1) / n * nbytes / fab.inside
    remote_part = (n - k) / n * nbytes / fab.network
    step = where(n > k, _STEP["net"][("ring", "simple")], _STEP[fab.inside_kind][("ring", "simple")])
    return where(size > 1, _BASE[("ring", "simple")] + step + maximum(local_part, remote_part), 0.0)


def nodes_per_token(top_k, nodes, groups: int, groups_per_token: int):
    """Distinct nodes a token's top-k experts sit on, on average, with its experts spread evenly over `nodes`
    nodes and chosen independently: r (1 - (1 - 1/r)^k) of the r nodes it can reach. Group-limited routing
    (DeepSeek-V3 sec. 2.1.2: 8 groups of 32 experts, 4 groups per token, a group per node) lets a token reach
    groups_per_token / groups of the nodes, at least one."""
    reach = nodes if groups <= 1 else minimum(nodes, maximum(1.0, groups_per_token * nodes / groups))
    return reach * (1 - (1 - 1 / reach) ** top_k)


def node_dispatch(fab: Fabric, token_bytes, top_k, spread, size, local):
    """Seconds of one DeepEP dispatch (or combine) in its normal kernels (deepseek-ai/DeepEP README; DeepSeek-V3
    sec. 3.2.2): a token crosses the network once per destination node other than its own, to the GPU with the
    sender's index there, which forwards it over NVLink to the GPUs holding its experts; the two run as one
    pipeline, so the slower one counts. Each rank sends `token_bytes` per token copy; over the network
    spread (nodes_per_token) x (nodes - 1)/nodes copies, over NVLink top_k x (k - 1)/k."""
    n = maximum(size, 1)
    k = minimum(local, n)
    nodes = n / k
    remote = spread * (nodes - 1) / nodes * token_bytes / fab.network
    inside = top_k * (k - 1) / k * token_bytes / fab.inside
    step = where(nodes > 1, _STEP["net"][("ring", "simple")], _STEP[fab.inside_kind][("ring", "simple")])
    return where(size > 1, _BASE[("ring", "simple")] + step + maximum(remote, inside), 0.0)


def send(fab: Fabric, nbytes, across_nodes):
    """Seconds of one point-to-point send of `nbytes` to a neighbour inside the node or across nodes."""
    return where(across_nodes, _BASE[("ring", "simple")] + _STEP["net"][("ring", "simple")] + nbytes / fab.network,
                 _BASE[("ring", "simple")] + _STEP[fab.inside_kind][("ring", "simple")] + nbytes / fab.inside)


def ring_allreduce_bytes_seconds(nbytes, ranks, bandwidth):
    """A ring all-reduce's bandwidth term alone: each rank sends and receives 2 (n - 1)/n of the buffer at
    `bandwidth` (Patarasuk & Yuan 2009). The serving model's closed form (engine/serving_cost.py) adds its own
    small-message latency (`allreduce_latency`) to it."""
    return where(ranks > 1, 2 * (ranks - 1) / where(ranks > 1, ranks, 1) * nbytes / bandwidth, 0.0)


# Megatron-Core's gradient buckets: DistributedDataParallelConfig.bucket_size "If unspecified, MCore uses a
# default value of max(40000000, 1000000 * dp_size) parameters (larger DP sizes need larger buckets to ensure
# collectives do not become latency-bound)" (megatron/core/distributed/distributed_data_parallel_config.py)
BUCKET_SOURCE = "Megatron-Core distributed_data_parallel_config.py: bucket_size default max(40000000, 1000000 x dp)"


def grad_buckets(params, dp):
    """Gradient buckets reduced one after another (a fraction: the last one is partly filled)."""
    return maximum(1.0, params / maximum(40e6, 1e6 * dp))
