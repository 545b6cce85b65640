#!/usr/bin/env python3
"""Hand computation of the targets of policies/hangzhou-2024-plan.tally
(杭总工〔2024〕32号) over policies/hangzhou-2024-plan.csv, written from the
document, independently of tally.  Exact arithmetic (fractions); percents are
shown to 3 decimal places, rounded half up.  Writes hangzhou-2024-plan.hand.txt
next to this script.

Run: python3 tests/golden/hangzhou-2024-plan.hand.py
"""
import csv
import datetime
import os
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
CSV = os.path.join(HERE, "..", "..", "policies", "hangzhou-2024-plan.csv")
OUT = os.path.join(HERE, "hangzhou-2024-plan.hand.txt")
AS_OF = datetime.date(2026, 12, 31)

TYPES = {"非公企业": "private", "国有企业": "soe", "集体企业": "collective",
         "机关": "agency", "事业单位": "institution", "社会组织": "social_org",
         "货车司机": "truck", "快递员": "courier", "网约车司机": "ride_hailing",
         "外卖配送员": "delivery", "其他新就业形态劳动者": "other_newform"}
ROLES = {"": "not_platform", "非平台企业": "not_platform", "总部在杭平台企业": "hq",
         "驻杭子（分）公司": "branch", "关联企业、加盟商、合作商": "affiliate"}


def yes(cell, default=False):
    return default if cell.strip() == "" else cell.strip() == "是"


def num(cell, default=None):
    if cell.strip() == "":
        assert default is not None, "required cell is blank"
        return default
    return int(cell)


def date(cell):
    return None if cell.strip() == "" else datetime.date.fromisoformat(cell.strip())


def within_years(d, n):
    """after the same day n years before AS_OF, up to AS_OF"""
    start = AS_OF.replace(year=AS_OF.year - n)
    return d is not None and start < d <= AS_OF


recs = []
with open(CSV, encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        recs.append(dict(
            id=row["单位或群体名称"],
            type=TYPES[row["类别"]],
            industrial=yes(row["规上工业企业"]),
            role=ROLES[row["平台企业层级"]],
            zone=yes(row["位于开发区（产业平台、工业园区）"]),
            staff=num(row["职工（从业）人数"]),
            daily=num(row["日活跃人数"], 0),
            union=yes(row["已建立工会"]),
            joint=yes(row["纳入联合工会覆盖"]),
            founded=date(row["工会成立日期"]),
            members=num(row["会员人数"]),
            m2023=num(row["2023年底会员人数"]),
            mlast=num(row["上年底会员人数"]),
            real=num(row["实名制录入会员人数"]),
            org=yes(row["工会组织实名制录入"]),
            dem=yes(row["建立民主管理制度"]),
            model=date(row["培育为新业态示范基层工会日期"]),
            cadres=num(row["基层工会干部人数"], 0),
            trained=num(row["完成轮训的工会干部人数"], 0),
            chair=date(row["现任工会主席任职日期"]),
            induction=yes(row["工会主席完成上岗初任培训"]),
        ))


def share(cond, where):
    sel = [r for r in recs if where(r)]
    hit = [r for r in sel if cond(r)]
    return Fraction(len(hit) * 100, len(sel)) if sel else Fraction(100), f"{len(hit)}/{len(sel)}"


def ratio(x_expr, x_where, y_expr, y_where):
    x = sum(x_expr(r) for r in recs if x_where(r))
    y = sum(y_expr(r) for r in recs if y_where(r))
    return Fraction(x * 100, y), f"{x}/{y}"


def count(cond):
    n = sum(1 for r in recs if cond(r))
    return Fraction(n), None


def total(expr, where=lambda r: True):
    s = sum(expr(r) for r in recs if where(r))
    return Fraction(s), None


def pct(v):
    """a percent to 3 decimal places, rounded half up (exact: v is a Fraction)"""
    thousandths = v * 1000
    q, rem = divmod(thousandths.numerator, thousandths.denominator)
    if 2 * rem >= thousandths.denominator:
        q += 1
    return str(Decimal(q).scaleb(-3).quantize(Decimal("0.001"))) + "%"


FOUR = ("truck", "courier", "ride_hailing", "delivery")
NEWFORM = FOUR + ("other_newform",)


def new_union(r):
    return r["union"] and r["founded"] is not None and 2024 <= r["founded"].year <= 2026


def chair_due(r):
    return (r["union"] and r["chair"] is not None and r["chair"].year >= 2024
            and not within_years(r["chair"], 1))


def rating(r):
    return "已建会" if r["union"] else ("联合工会覆盖" if r["joint"] else "未建会")


def four_base(r):
    return r["staff"] if r["type"] in ("truck", "courier") else r["daily"]


def sector_ratio(pred):
    return ratio(lambda r: r["members"], lambda r: pred(r) and r["union"],
                 lambda r: r["staff"], lambda r: pred(r) and r["union"])


T = [
    ("2024年到2026年，全市新增基层工会组织1万家", "count", count(new_union), 10000),
    ("2024年到2026年，全市新增会员66万人", "sum",
     total(lambda r: r["members"] - r["m2023"]), 660000),
    ("25人以上非公企业应建尽建", "%",
     share(lambda r: r["union"], lambda r: r["type"] == "private" and r["staff"] >= 25), 100),
    ("25人以下非公企业建会（覆盖）率达到80%以上", "%",
     share(lambda r: rating(r) != "未建会", lambda r: r["type"] == "private" and r["staff"] < 25), 80),
    ("机关建会率动态保持在95%以上", "%", share(lambda r: r["union"], lambda r: r["type"] == "agency"), 95),
    ("机关职工入会率动态保持在95%以上", "%", sector_ratio(lambda r: r["type"] == "agency"), 95),
    ("事业单位建会率动态保持在95%以上", "%", share(lambda r: r["union"], lambda r: r["type"] == "institution"), 95),
    ("事业单位职工入会率动态保持在95%以上", "%", sector_ratio(lambda r: r["type"] == "institution"), 95),
    ("国有企业建会率动态保持在95%以上", "%", share(lambda r: r["union"], lambda r: r["type"] == "soe"), 95),
    ("国有企业职工入会率动态保持在95%以上", "%", sector_ratio(lambda r: r["type"] == "soe"), 95),
    ("规上工业企业建会率动态保持在85%以上", "%", share(lambda r: r["union"], lambda r: r["industrial"]), 85),
    ("规上工业企业职工入会率动态保持在85%以上", "%", sector_ratio(lambda r: r["industrial"]), 85),
    ("社会组织建会率动态保持在85%以上", "%", share(lambda r: r["union"], lambda r: r["type"] == "social_org"), 85),
    ("社会组织职工入会率动态保持在85%以上", "%", sector_ratio(lambda r: r["type"] == "social_org"), 85),
    ("新就业形态劳动者四类重点群体总体入会率动态保持在60%以上", "%",
     ratio(lambda r: r["members"], lambda r: r["type"] in FOUR, four_base, lambda r: r["type"] in FOUR), 60),
    ("货车司机入会率达到80%以上", "%",
     ratio(lambda r: r["members"], lambda r: r["type"] == "truck", lambda r: r["staff"], lambda r: r["type"] == "truck"), 80),
    ("快递员入会率达到80%以上", "%",
     ratio(lambda r: r["members"], lambda r: r["type"] == "courier", lambda r: r["staff"], lambda r: r["type"] == "courier"), 80),
    ("网约车司机入会率达到日活跃数的50%以上", "%",
     ratio(lambda r: r["members"], lambda r: r["type"] == "ride_hailing", lambda r: r["daily"], lambda r: r["type"] == "ride_hailing"), 50),
    ("外卖配送员入会率达到日活跃数的50%以上", "%",
     ratio(lambda r: r["members"], lambda r: r["type"] == "delivery", lambda r: r["daily"], lambda r: r["type"] == "delivery"), 50),
    ("工会组织实名制录入率动态保持在90%以上", "%", share(lambda r: r["org"], lambda r: r["union"]), 90),
    ("会员实名制录入率动态保持在90%以上", "%",
     ratio(lambda r: r["real"], lambda r: True, lambda r: r["members"], lambda r: True), 90),
    ("2024年底基本实现百人以上（非公）企业建会全覆盖", "%",
     share(lambda r: r["union"], lambda r: r["type"] == "private" and r["staff"] >= 100), 100),
    ("2026年底基本实现开发区（产业平台、工业园区）内50人以上企业建会全覆盖", "%",
     share(lambda r: r["union"], lambda r: r["zone"] and r["staff"] >= 50
           and r["type"] in ("private", "soe", "collective")), 100),
    ("总部在杭平台企业全部建会", "%", share(lambda r: r["union"], lambda r: r["role"] == "hq"), 100),
    ("驻杭子（分）公司90%以上属地建会", "%", share(lambda r: r["union"], lambda r: r["role"] == "branch"), 90),
    ("关联企业、加盟商、合作商80%建会", "%", share(lambda r: r["union"], lambda r: r["role"] == "affiliate"), 80),
    ("每年新就业形态劳动者会员增长率不低于15%", "%",
     ratio(lambda r: r["members"], lambda r: r["type"] in NEWFORM,
           lambda r: r["mlast"], lambda r: r["type"] in NEWFORM), 115),
    ("市总工会每年培育10家新业态基层工会（2024年）", "count",
     count(lambda r: r["model"] is not None and r["model"].year == 2024), 10),
    ("市总工会每年培育10家新业态基层工会（2025年）", "count",
     count(lambda r: r["model"] is not None and r["model"].year == 2025), 10),
    ("市总工会每年培育10家新业态基层工会（2026年）", "count",
     count(lambda r: r["model"] is not None and r["model"].year == 2026), 10),
    ("国有、集体企业和事业单位本级民主管理建制率达到100%", "%",
     share(lambda r: r["dem"], lambda r: r["type"] in ("soe", "collective", "institution")), 100),
    ("百人以上建会非公企业民主管理制度建制率达到90%以上", "%",
     share(lambda r: r["dem"], lambda r: r["type"] == "private" and r["staff"] >= 100 and r["union"]), 90),
    ("到2026年，对80%的基层工会干部完成轮训", "%",
     ratio(lambda r: r["trained"], lambda r: r["union"], lambda r: r["cadres"], lambda r: r["union"]), 80),
    ("新任基层工会主席一年内完成上岗初任培训", "%", share(lambda r: r["induction"], chair_due), 100),
    ("新建基层工会实名制率达100%", "%",
     ratio(lambda r: r["real"], new_union, lambda r: r["members"], new_union), 100),
]

lines = [f"# 杭总工〔2024〕32号 targets over policies/hangzhou-2024-plan.csv "
         f"({len(recs)} records), as of {AS_OF.isoformat()}",
         "# n. target | value (numerator/denominator) | goal | met", ""]
met = 0
for i, (text, kind, (value, frac), goal) in enumerate(T, 1):
    ok = value >= goal
    met += ok
    shown = pct(value) if kind == "%" else str(value)
    goal_s = f">= {goal}%" if kind == "%" else f">= {goal}"
    extra = f" ({frac})" if frac else ""
    lines.append(f"{i:2d}. {text} | {shown}{extra} | {goal_s} | {'met' if ok else 'not met'}")
lines += ["", f"# {met} of {len(T)} targets met, {len(T) - met} not met"]
ratings = {}
for r in recs:
    ratings[rating(r)] = ratings.get(rating(r), 0) + 1
lines.append("# 建会（覆盖）情况: " + ", ".join(f"{k} {v}" for k, v in ratings.items()))
with open(OUT, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
