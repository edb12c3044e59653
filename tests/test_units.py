"""Units: capplan's own Pint registry, distinct dimensions, GB vs GiB, traps."""

from __future__ import annotations

import pint
import pytest

from capplan.check.units import UnitError, UnitTable, describe, dims_of

from conftest import compile_text


@pytest.fixture(scope="module")
def units(tmp_path_factory):
    import os

    os.environ["CAPPLAN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    return UnitTable()


def test_gb_and_gib_are_distinct_and_differ_by_7_37_percent(units):
    gb, gib = units.lookup("GB").factor, units.lookup("GiB").factor
    assert gb == 1e9 and gib == 2**30
    assert (gib - gb) / gb == pytest.approx(0.0737, abs=5e-5)


def test_information_flop_tokens_params_gpu_currency_are_distinct_dimensions(units):
    dims = {u: units.lookup(u).dims for u in ("B", "FLOP", "token", "param", "GPU", "USD", "s", "J")}
    assert len(set(dims.values())) == len(dims)
    assert units.lookup("GB/s").dims == dims_of("information/time")
    assert units.lookup("TFLOP/s").dims == dims_of("compute/time")
    assert units.lookup("USD/h").dims == dims_of("currency/time")
    assert units.lookup("bit").factor == pytest.approx(1 / 8)


def test_bytes_are_not_dimensionless_unlike_pints_default(units):
    default = pint.UnitRegistry()
    assert default.Quantity(1, "GB").dimensionless or default.Quantity(1, "GB").dimensionality == {}
    assert units.lookup("GB").dims != ()


@pytest.mark.parametrize("unit,fix", [("Gb", "Gbit"), ("b", "bit"), ("Gb/s", "Gbit"), ("TFLOPS", "TFLOP/s"),
                                      ("TFLOPs", "TFLOP/s"), ("Mb", "Mbit")])
def test_pint_default_traps_are_rejected_with_a_hint(units, unit, fix):
    with pytest.raises(UnitError) as err:
        units.lookup(unit)
    assert fix in err.value.hint


def test_unknown_unit_gets_a_suggestion(units):
    with pytest.raises(UnitError) as err:
        units.lookup("GiBB")
    assert "GiB" in err.value.hint


def test_a_rate_where_a_size_belongs_names_both_dimensions(project):
    comp = compile_text(project, "gpu g {\n  memory = 80 GB/s\n  memory_bandwidth = 2 TB/s\n}\n")
    [d] = comp.diagnostics.items
    assert d.code == "E0301"
    assert "a data rate ([information] / [time])" in d.label
    assert any("an amount of information ([information])" in n for n in d.notes)
    assert d.hint == "did you mean `80 GB`?"


def test_quantities_reach_the_engine_as_canonical_floats(project):
    comp = compile_text(project, "gpu g {\n  memory = 80 GiB\n  memory_bandwidth = 3.35 TB/s\n"
                                 "  peak { bf16 = 989 TFLOP/s }\n  price = 2.49 USD/h\n}\n")
    g = comp.checked.objects["g"]
    assert g.memory == 80 * 2**30 and isinstance(g.memory, float)
    assert g.memory_bandwidth == pytest.approx(3.35e12)
    assert g.peak.bf16 == pytest.approx(989e12)
    assert g.price == pytest.approx(2.49 / 3600)


def test_arithmetic_and_constants_keep_units(project):
    comp = compile_text(project, "const base = 40 GiB\nconst extra = 2 * base + 512 MiB\n"
                                 "gpu g { memory = extra; memory_bandwidth = 1 TB/s / 2 }\n")
    g = comp.checked.objects["g"]
    assert g.memory == 80 * 2**30 + 512 * 2**20
    assert g.memory_bandwidth == pytest.approx(0.5e12)


def test_describe():
    assert describe(dims_of("information/time")) == "a data rate ([information] / [time])"


def test_the_unit_cache_is_only_an_optimisation(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPPLAN_CACHE_DIR", str(tmp_path))
    cold = UnitTable()
    first = cold.lookup("TFLOP/s")
    cold.save()
    assert list(tmp_path.iterdir())
    warm = UnitTable()
    assert warm.lookup("TFLOP/s") == first
    assert warm._registry is None  # answered from the cache, Pint not consulted


@pytest.mark.parametrize("value,shown", [(1210.04, "1,210"), (1000.2, "1,000"), (3.5, "3.5"), (0.25, "0.25"),
                                         (123456.7, "123,457"), (100.0, "100"), (2.0e-3, "0.002")])
def test_numbers_are_shown_without_losing_integer_zeros(value, shown):
    from capplan.check.values import fmt_number

    assert fmt_number(value) == shown
