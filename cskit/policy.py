"""Policies: TOML files of thresholds and rules (SPEC §1.4).

The built-in defaults of each kind live in ``cskit/policies/KIND.toml``,
commented, and are what ``cskit defaults KIND`` prints. A user's file is
merged over them key by key, so a partial file changes only what it sets.
Validation is driven by the defaults themselves: a key that the defaults do
not have is unknown, and a value must have the default's type (an integer
is accepted where a float is expected). A domain module may add checks of
its own (ascending tiers, weights that add up…) through ``check``.

A user file may also hold several kinds at once, one table per kind
(``[credit]``, ``[aging]`` …): the table of the kind asked for is used.
"""
from __future__ import annotations

import copy
import difflib
import hashlib
import json
from importlib import resources
from typing import Any, Callable

from cskit.errors import PolicyError
from cskit.i18n import Join, Text, os_reason

KINDS = ("credit", "kpi", "visit", "aging")

# what a policy value may be (README "What cskit refuses to guess"): a number
# below 10^15 in size, a number of days of at most 100 years, a list of at
# most 1,000 entries, nested a few levels
NUMBER_LIMIT = 10 ** 15
MAX_DAYS = 36_500
MAX_ITEMS = 1_000
MAX_DEPTH = 20
MAX_PER_DAY = 1_000  # visits or calls one person makes in a day


def defaults_text(kind: str) -> str:
    """The commented default policy file of KIND, as shipped."""
    if kind not in KINDS:
        raise PolicyError(Text("unknown policy kind {kind!r}; choose one of: {kinds}",
                               "没有 {kind!r} 这类策略；可选：{kinds}",
                               kind=kind, kinds=", ".join(KINDS)))
    return resources.files("cskit").joinpath("policies", f"{kind}.toml").read_text(encoding="utf-8")


def defaults(kind: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(defaults_text(kind))


def load(kind: str, path: str | None = None,
         check: Callable[[dict], list[Text]] | None = None) -> dict[str, Any]:
    """The policy of KIND in force: defaults, overridden by the file at PATH.

    The returned dict has an extra key ``policy_id``: a short hash of the
    merged policy, so that any result can be traced to the rules behind it.
    ``check`` returns a list of messages (``Text``: "tiers.sales: floors
    must descend"), each an error.
    """
    import tomllib

    policy = defaults(kind)
    source = Text("built-in defaults", "内置默认策略")
    if path:
        source = path
        try:
            with open(path, "rb") as fh:
                user = tomllib.load(fh)
        except FileNotFoundError:
            raise PolicyError(Text("policy file {path} does not exist",
                                   "策略文件 {path} 不存在", path=path)) from None
        except OSError as exc:
            raise PolicyError(Text("policy file {path} cannot be read: {reason}",
                                   "策略文件 {path} 无法读取：{reason}",
                                   path=path, reason=os_reason(exc))) from None
        except UnicodeDecodeError:
            raise PolicyError(Text("policy file {path} is not UTF-8 text; save it as UTF-8",
                                   "策略文件 {path} 不是 UTF-8 文本，请另存为 UTF-8 编码",
                                   path=path)) from None
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(Text("policy file {path} is not valid TOML: {detail}",
                                   "策略文件 {path} 不是有效的 TOML 格式：{detail}",
                                   path=path, detail=str(exc))) from None
        except RecursionError:
            raise PolicyError(Text("policy file {path} nests arrays or tables more than "
                                   "{depth} deep; a policy needs a few levels at most",
                                   "策略文件 {path} 的数组或表嵌套超过 {depth} 层；策略最多只需几层",
                                   path=path, depth=MAX_DEPTH)) from None
        if kind in user and isinstance(user[kind], dict) and set(user) <= set(KINDS):
            user = user[kind]
        problems: list[Text] = []
        _merge(policy, user, [], problems)
        if problems:
            raise PolicyError(Text("policy file {path} ({kind}):\n  {problems}",
                                   "策略文件 {path}（{kind}）有误：\n  {problems}",
                                   path=path, kind=kind, problems=Join("\n  ", problems)))
    if check:
        problems = check(policy)
        if problems:
            raise PolicyError(Text("{kind} policy from {source}:\n  {problems}",
                                   "{kind} 策略（{source}）有误：\n  {problems}",
                                   kind=kind, source=source, problems=Join("\n  ", problems)))
    policy["policy_id"] = policy_id(policy)
    return policy


def policy_id(policy: dict[str, Any]) -> str:
    body = {k: v for k, v in policy.items() if k != "policy_id"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _type_name(value: Any) -> Text | str:
    if isinstance(value, bool):
        return Text("true or false", "true 或 false")
    if isinstance(value, (int, float)):
        return Text("a number", "数字")
    if isinstance(value, str):
        return Text("text", "文本")
    if isinstance(value, list):
        return Text("a list", "列表")
    if isinstance(value, dict):
        return Text("a table", "表（[段落]）")
    return type(value).__name__


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, int):
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(default, list):
        if not isinstance(value, list):
            return False
        if default and value:
            return all(_same_type(default[0], v) for v in value)
        return True
    return isinstance(value, type(default))


def _merge(base: dict, user: dict, path: list[str], problems: list[Text]) -> None:
    open_table = not base and bool(path)  # empty by default: takes any keys
    for key, value in user.items():
        dotted = ".".join(path + [str(key)])
        if key not in base:
            if open_table:
                limit = _out_of_range(str(key), value)
                if limit is not None:
                    problems.append(Text("{key}: {value} is out of range; {limit}",
                                         "{key}：{value} 超出范围；{limit}",
                                         key=dotted, value=_short(value), limit=limit))
                    continue
                base[key] = value
                continue
            close = difflib.get_close_matches(str(key), [str(k) for k in base], n=1)
            if close:
                problems.append(Text("{key}: unknown key (did you mean {close}?)",
                                     "{key}：没有这个设置项（是不是 {close}？）",
                                     key=dotted, close=".".join(path + [close[0]])))
            else:
                problems.append(Text("{key}: unknown key", "{key}：没有这个设置项", key=dotted))
            continue
        default = base[key]
        limit = None if isinstance(default, dict) else _out_of_range(str(key), value)
        if limit is not None:
            problems.append(Text("{key}: {value} is out of range; {limit}",
                                 "{key}：{value} 超出范围；{limit}",
                                 key=dotted, value=_short(value), limit=limit))
            continue
        if isinstance(default, dict):
            if not isinstance(value, dict):
                problems.append(Text("{key}: expected a table, got {got}",
                                     "{key}：应为表（[段落]），实际是{got}",
                                     key=dotted, got=_type_name(value)))
                continue
            _merge(default, value, path + [str(key)], problems)
        elif not _same_type(default, value):
            problems.append(Text("{key}: expected {kind} like {default!r}, got {value!r}",
                                 "{key}：应为{kind}，如 {default!r}，实际是 {value!r}",
                                 key=dotted, kind=_type_name(default), default=default,
                                 value=value))
        else:
            base[key] = copy.deepcopy(value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _out_of_range(key: str, value: Any, depth: int = 0) -> Text | None:
    """Why VALUE (of KEY, or inside it) is beyond what any policy needs; None if not."""
    if depth > MAX_DEPTH:
        return Text("nested more than {depth} deep", "嵌套超过 {depth} 层", depth=MAX_DEPTH)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")) or abs(value) >= NUMBER_LIMIT:
            return Text("a number must be finite and smaller than 10^15 in size",
                        "数值须为有限值，且绝对值小于 10^15")
        if key.lower().endswith("_per_day") and abs(value) > MAX_PER_DAY:
            return Text("at most {count} a day", "每天最多 {count}", count=MAX_PER_DAY)
        if "days" in key.lower() and abs(value) > MAX_DAYS:
            return Text("a number of days may be at most {days} (100 years)",
                        "天数最多为 {days}（100 年）", days=MAX_DAYS)
        return None
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return Text("a list may have at most {items} entries, this one has {count}",
                        "列表最多 {items} 项，这里有 {count} 项", items=MAX_ITEMS, count=len(value))
        for item in value:
            found = _out_of_range(key, item, depth + 1)
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            return Text("a table may have at most {items} keys, this one has {count}",
                        "表最多 {items} 个键，这里有 {count} 个", items=MAX_ITEMS, count=len(value))
        for name, item in value.items():
            found = _out_of_range(str(name), item, depth + 1)
            if found is not None:
                return found
    return None


def columns_map(path: str | None) -> dict[str, str]:
    """A policy file's ``[columns]`` table (top level, or in any kind's
    table): header as written in an input file → cskit's column name, as
    ``--map`` gives it on the command line."""
    import tomllib

    if not path:
        return {}
    try:
        with open(path, "rb") as fh:
            user = tomllib.load(fh)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return {}  # load() names the problem when the command reads its policy
    tables = [user.get("columns")] + [user[k].get("columns") for k in KINDS
                                       if isinstance(user.get(k), dict)]
    out: dict[str, str] = {}
    for table in tables:
        if table is None:
            continue
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise PolicyError(Text("policy file {path}: [columns] must map headers to column "
                                   "names as text, e.g. 价税合计 = \"amount\"",
                                   "策略文件 {path}：[columns] 应把表头对应到列名（文本），"
                                   "例如 价税合计 = \"amount\"", path=path))
        out.update(table)
    return out
