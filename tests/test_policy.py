import re

import pytest

from cskit import policy
from cskit.errors import PolicyError

DEFAULTS = """
# a test policy
target = 75
window_days = 90
method = "average"
enabled = true
buckets = [30, 60, 90, 180]
[tiers]
floors = [1000.0, 500.0]
points = [20, 10]
[weights]
"""


@pytest.fixture
def fake_kind(monkeypatch):
    monkeypatch.setattr(policy, "defaults_text", lambda kind: DEFAULTS)


def write(tmp_path, text):
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_defaults_load_with_a_stable_id(fake_kind):
    first = policy.load("aging")
    assert first["target"] == 75 and len(first["policy_id"]) == 8
    assert policy.load("aging")["policy_id"] == first["policy_id"]


def test_partial_file_overrides_only_its_keys(fake_kind, tmp_path):
    merged = policy.load("aging", write(tmp_path, "target = 60\n[tiers]\npoints = [25, 12]\n"))
    assert merged["target"] == 60 and merged["window_days"] == 90
    assert merged["tiers"] == {"floors": [1000.0, 500.0], "points": [25, 12]}
    assert merged["policy_id"] != policy.load("aging")["policy_id"]


def test_integer_accepted_for_float_and_open_tables(fake_kind, tmp_path):
    merged = policy.load("aging", write(tmp_path, "[tiers]\nfloors = [2000, 1000]\n[weights]\nx = 2\n"))
    assert merged["tiers"]["floors"] == [2000, 1000] and merged["weights"] == {"x": 2}


@pytest.mark.parametrize("text,message", [
    ("targte = 60\n", "targte: unknown key (did you mean target?)"),
    ("target = \"high\"\n", "target: expected a number"),
    ("[tiers]\npoints = [\"a\"]\n", "tiers.points: expected a list"),
    ("enabled = 1\n", "enabled: expected true or false"),
    ("tiers = 5\n", "tiers: expected a table"),
    ("target = = 1\n", "not valid TOML"),
])
def test_bad_keys_are_named(fake_kind, tmp_path, text, message):
    with pytest.raises(PolicyError, match=re.escape(message)):
        policy.load("aging", write(tmp_path, text))


def test_missing_file_and_domain_check(fake_kind, tmp_path):
    with pytest.raises(PolicyError, match="does not exist"):
        policy.load("aging", str(tmp_path / "none.toml"))
    with pytest.raises(PolicyError, match="buckets: must ascend"):
        policy.load("aging", write(tmp_path, "buckets = [60, 30]\n"),
                    check=lambda p: [] if p["buckets"] == sorted(p["buckets"]) else ["buckets: must ascend"])


def test_one_file_for_several_kinds(fake_kind, tmp_path):
    merged = policy.load("aging", write(tmp_path, "[aging]\ntarget = 50\n[credit]\nx = 1\n"))
    assert merged["target"] == 50


@pytest.mark.parametrize("kind", policy.KINDS)
def test_shipped_defaults_parse_and_are_commented(kind):
    text = policy.defaults_text(kind)
    assert text.lstrip().startswith("#")
    assert policy.load(kind)["policy_id"]


def test_an_open_table_takes_several_keys(tmp_path):
    """[custom_kpis] is empty by default: a file may add more than one KPI."""
    from cskit import policy

    path = tmp_path / "kpi.toml"
    body = "".join(f'[custom_kpis.{name}]\nlabel = "{name}"\n' for name in ("a", "b", "c"))
    path.write_text(body, encoding="utf-8")
    loaded = policy.load("kpi", str(path))
    assert set(loaded["custom_kpis"]) == {"a", "b", "c"}
