"""The org tree: validation, flattening into membership pairs, and the
staff id of each record."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cskit.errors import DataError, Problem
from cskit.i18n import Text
from cskit.kpi.specs import LEVEL_OF_ROLE, UNASSIGNED_NAME


# --- the org tree ------------------------------------------------------------
@dataclass
class OrgTree:
    staff: pd.DataFrame  # index entity_id: name, role, manager_id, branch, level, depth
    membership: pd.DataFrame  # entity_id, staff_id: staff_id counts under entity_id
    root: str


def validate_org(org: pd.DataFrame, *, file: str = "--org",
                 unassigned_id: str = "unassigned") -> None:
    """Raise DataError naming every row that breaks the tree: a manager who
    is the person themself, a manager_id that is nobody's staff_id, a cycle,
    more than one person at the top, or the id reserved for unassigned."""
    if not len(org):  # every row set aside with --rejects: there is no tree
        raise DataError(Problem(file, Text("has no usable row left (every row was rejected); "
                                           "an org chart needs at least its head",
                                           "没有剩下可用的行（所有行都被剔除）；组织架构表至少要有最高负责人")))
    problems: list[Problem] = []
    ids = org["staff_id"].astype("str")
    managers = org["manager_id"].astype("str") if "manager_id" in org else \
        pd.Series(pd.NA, index=org.index, dtype="str")
    known = set(ids.dropna())
    for row in org.index[ids.eq(unassigned_id).fillna(False)]:
        problems.append(Problem(file, Text("{id!r} is reserved for records of staff not in "
                                           "the org chart; use another staff_id",
                                           "“{id}”已留作不在组织架构表中的人员的记录编号，"
                                           "请换一个工号", id=unassigned_id),
                                row=int(row), column="staff_id", value=ids[row]))
    self_managed = managers.eq(ids).fillna(False)
    for row in org.index[self_managed]:
        problems.append(Problem(file, Text("a staff member cannot be their own manager",
                                           "员工不能是自己的直接上级"),
                                row=int(row), column="manager_id", value=managers[row]))
    unknown = managers.notna() & ~managers.isin(known)
    for row in org.index[unknown]:
        problems.append(Problem(file, Text("the staff_id of the direct manager; this is "
                                           "nobody's staff_id in the org chart",
                                           "应为直接上级的工号；组织架构表中没有这个工号"),
                                row=int(row), column="manager_id", value=managers[row]))
    roots = org.index[managers.isna()]
    if len(roots) > 1:
        names = ", ".join(str(ids[r]) for r in roots[:10])
        for row in roots:
            problems.append(Problem(file, Text("one person at the top (no manager_id); "
                                               "found {count}: {names}",
                                               "只能有一人没有直接上级（部门最高负责人）；"
                                               "现有 {count} 人：{names}",
                                               count=len(roots), names=names),
                                    row=int(row), column="manager_id", value=ids[row]))
    if not problems:
        problems += _cycle_problems(ids, managers, file)
        if not problems and len(roots) == 0 and len(org):
            problems.append(Problem(file, Text("one person at the top with no manager_id",
                                               "应有一人没有直接上级（部门最高负责人）")))
    if problems:
        raise DataError(problems, hint=Text(
            "The org chart must be a tree: every manager_id is the staff_id of someone "
            "else, and one person has none.",
            "组织架构表须为树状：每个直接上级（manager_id）都是另一名员工的工号，"
            "且只有一人没有直接上级。"))


def _cycle_problems(ids: pd.Series, managers: pd.Series, file: str) -> list[Problem]:
    parent = pd.Series(managers.to_numpy(), index=ids.to_numpy())
    row_of = pd.Series(ids.index, index=ids.to_numpy())
    current = parent.copy()
    for _ in range(len(parent)):
        current = pd.Series(parent.reindex(current.to_numpy()).to_numpy(), index=current.index)
        if current.isna().all():
            return []
    stuck = list(current.index[current.notna()])
    problems, seen = [], set()
    for start in stuck:
        # walk to a node that is on the cycle, then around it once
        node = start
        for _ in range(len(parent)):
            node = parent[node]
        if node in seen:
            continue
        cycle = [node]
        nxt = parent[node]
        while nxt != node:
            cycle.append(nxt)
            nxt = parent[nxt]
        seen.update(cycle)
        chain = " → ".join(cycle + [node])
        for member in cycle:
            problems.append(Problem(file, Text("the managers form a cycle ({chain})",
                                               "直接上级关系形成了循环（{chain}）", chain=chain),
                                    row=int(row_of[member]), column="manager_id",
                                    value=parent[member]))
    return problems


def org_tree(org: pd.DataFrame, *, unassigned_id: str = "unassigned",
             with_unassigned: bool = False) -> OrgTree:
    """Flatten a validated org chart into entities and membership pairs.

    Ancestors are found one tree level at a time (a loop over the depth of
    the tree, not over people)."""
    staff = pd.DataFrame({
        "entity_id": org["staff_id"].astype("str").to_numpy(),
        "entity_name": (org["name"].astype("str") if "name" in org
                        else pd.Series(pd.NA, index=org.index, dtype="str")).to_numpy(),
        "role": org["role"].astype("str").to_numpy(),
        "manager_id": (org["manager_id"].astype("str") if "manager_id" in org
                       else pd.Series(pd.NA, index=org.index, dtype="str")).to_numpy(),
        "branch": (org["branch"].astype("str") if "branch" in org
                   else pd.Series(pd.NA, index=org.index, dtype="str")).to_numpy(),
    })
    root = staff.loc[staff["manager_id"].isna(), "entity_id"].iloc[0]
    if with_unassigned:
        extra = pd.DataFrame({"entity_id": [unassigned_id], "entity_name": [UNASSIGNED_NAME],
                              "role": [pd.NA], "manager_id": [root], "branch": [pd.NA]})
        staff = pd.concat([staff, extra.astype(staff.dtypes.to_dict())], ignore_index=True)
    staff["level"] = staff["role"].map(LEVEL_OF_ROLE).astype("str")
    staff.loc[staff["entity_id"].eq(unassigned_id), "level"] = "branch"
    staff.loc[staff["entity_id"].eq(root), "level"] = "department"
    staff = staff.set_index("entity_id", drop=False)

    parent = staff["manager_id"]
    pairs = [pd.DataFrame({"entity_id": staff.index, "staff_id": staff.index})]
    current = parent.copy()
    depth = pd.Series(0, index=staff.index)
    while current.notna().any():
        present = current.dropna()
        pairs.append(pd.DataFrame({"entity_id": present.to_numpy(), "staff_id": present.index}))
        depth[present.index] += 1
        current = pd.Series(parent.reindex(current.to_numpy()).to_numpy(), index=current.index)
    staff["depth"] = depth
    membership = pd.concat(pairs, ignore_index=True).astype("str")
    return OrgTree(staff=staff, membership=membership, root=root)


# --- staff ids of the records --------------------------------------------------
def _resolver(org: pd.DataFrame):
    """staff_id cells → org staff_ids: an id as is, else a unique name.

    ``resolve`` returns a categorical Series (categories sorted, so that
    sorting by it sorts by the text): each distinct cell is stripped and
    looked up once, however many rows carry it."""
    ids = set(org["staff_id"].astype("str").dropna())
    names = org["name"].astype("str") if "name" in org else pd.Series(dtype="str")
    name_counts = names.value_counts()
    by_name = {n: i for n, i in zip(names, org["staff_id"].astype("str"))
               if isinstance(n, str) and name_counts.get(n, 0) == 1 and n not in ids}

    def resolve(values: pd.Series) -> pd.Series:
        codes, cells = pd.factorize(values.astype("str"), use_na_sentinel=True)
        cells = pd.Series(cells, dtype="str").str.strip()
        named = cells.map(by_name).astype(object)
        keep = cells.isin(ids) | named.isna()
        resolved = pd.Series(np.where(keep, cells.astype(object), named), dtype="str")
        return _categorical(codes, resolved, values.index)
    return resolve, ids


def _categorical(codes: np.ndarray, texts: pd.Series, index) -> pd.Series:
    """Rows → ``texts`` by ``codes`` (−1: missing) as a categorical Series
    whose categories are the distinct texts, sorted."""
    categories = pd.Index(texts.dropna().unique(), dtype="str").sort_values()
    position = np.append(categories.get_indexer(texts), -1)
    return pd.Series(pd.Categorical.from_codes(position[codes], categories=categories),
                     index=index)


def assign_staff(resolved: pd.Series, org_ids: set, unassigned_id: str
                 ) -> tuple[pd.Series, pd.Series]:
    """Resolved staff ids (``resolve``) with every id outside the org chart,
    blank included, replaced by ``unassigned_id``; and the ids replaced,
    one per row replaced, blank as NaN, in the rows' order."""
    categories = resolved.cat.categories
    codes = resolved.cat.codes.to_numpy()
    inside = np.append(categories.isin(org_ids), False)
    outside = ~inside[codes]
    kept = pd.Series(categories, dtype="str").where(inside[:-1])
    kept = pd.concat([kept, pd.Series([unassigned_id], dtype="str")], ignore_index=True)
    assigned = _categorical(np.where(outside, len(categories), codes), kept, resolved.index)
    replaced = resolved[outside].astype("str")
    return assigned, replaced
