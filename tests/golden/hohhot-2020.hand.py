#!/usr/bin/env python3
"""Hand computation for policies/hohhot-2020.csv (呼工发〔2020〕36号, 附件1–7).

Written from the document, not from tally: each 附件 is a list of requirements
(a Python condition per requirement), evaluated for the unions of that level.
A union 达标 when every requirement of its own 附件 that applies holds.
Output: tests/golden/hohhot-2020.hand.csv with columns id,rating,vetoed,failed
(failed = number of requirements of its 附件 not met; there is no veto).

The CSV header names columns by the inputs' labels; the only thing taken from
the .tally file is the name <-> label table of the input declarations (so the
conditions below can use short names). Blank cells: yes/no -> no, numbers -> 0.

Run: python3 tests/golden/hohhot-2020.hand.py   (from /work/main)
"""
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
POLICY = os.path.join(ROOT, "policies", "hohhot-2020.tally")
DATA = os.path.join(ROOT, "policies", "hohhot-2020.csv")
OUT = os.path.join(HERE, "hohhot-2020.hand.csv")

KINDS = {
    "旗县区总工会": "county", "开发区（工业园区）工会": "devzone",
    "乡镇（街道）工会": "township", "行业（区域）工会联合会": "federation",
    "联合基层工会": "joint", "企业工会": "enterprise", "机关、事业单位工会": "agency",
}


def labels_from_policy(path=POLICY):
    """name -> (type, label) of every input declaration (one per line)."""
    decl = re.compile(r'^\s+(\w+)\s+(bool|int|number|percent|text)\s+"([^"]*)"')
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = decl.match(line)
            if m:
                out[m.group(1)] = (m.group(2), m.group(3))
    out["kind"] = ("kind", "工会层级")
    return out


def cell(typ, s):
    s = (s or "").strip()
    if typ == "bool":
        if s == "":
            return False
        if s in ("是", "yes"):
            return True
        if s in ("否", "no"):
            return False
        raise ValueError("bad yes/no %r" % s)
    if typ in ("int", "number", "percent"):
        if s == "":
            return 0
        return float(s.rstrip("%"))
    if typ == "kind":
        return KINDS.get(s, s)
    return s


# ---------------------------------------------------------------------------
# The requirements, 附件 by 附件: (short text, applies(r), holds(r)).
# "X%以上", "达到X%以上", "不少于N", "至少N" -> >= ; "不超过N" -> <= ;
# "25人以上企业单独建会" -> no enterprise without its own union has 25 or more staff.
ALWAYS = lambda r: True


def Q(name):
    return lambda r: bool(r[name])


def NOT(name):
    return lambda r: not r[name]


def GE(name, x):
    return lambda r: r[name] >= x


ANNEX = {}

ANNEX["county"] = [  # 附件1 旗县区总工会
    ("政治方向", ALWAYS, Q("a1_political")),
    ("主席副主席配备齐全", ALWAYS, Q("a1_leaders_complete")),
    ("集体领导", ALWAYS, Q("a1_collective_leadership")),
    ("人员岗位设置合理", ALWAYS, Q("a1_staffing")),
    ("组织网络健全", ALWAYS, Q("a1_network")),
    ("建会率85%", ALWAYS, GE("establishment_rate", 85)),
    ("入会率85%", ALWAYS, GE("membership_rate", 85)),
    ("法人资格登记90%", ALWAYS, GE("a1_legal_registration_rate", 90)),
    ("阵地500平方米", ALWAYS, GE("a1_venue_area", 500)),
    ("阵地六有", ALWAYS, Q("a1_venue_complete")),
    ("按期换届", ALWAYS, Q("a1_election_on_time")),
    ("全委会议每年至少一次", ALWAYS, GE("committee_meetings", 1)),
    ("民主程序", ALWAYS, Q("a1_democratic_appointment")),
    ("替补增补免职程序", ALWAYS, Q("a1_replacement_procedure")),
    ("机关工作制度", ALWAYS, Q("a1_office_rules")),
    ("岗位目标责任制", ALWAYS, Q("a1_target_responsibility")),
    ("每月至少2次集体学习", ALWAYS, GE("a1_study_sessions", 2)),
    ("新任主席一年内岗位培训", Q("new_chair"), lambda r: r["new_chair_training_months"] <= 12),
    ("参加上级调训", ALWAYS, Q("a1_leaders_trained")),
    ("每年培训干部", ALWAYS, Q("a1_cadre_training")),
    ("内部财务控制制度", ALWAYS, Q("a1_finance_controls")),
    ("会计基础工作规范", ALWAYS, Q("a1_accounting")),
    ("专职财会人员", ALWAYS, Q("a1_accountants")),
    ("素质提升工程", ALWAYS, Q("a1_quality_project")),
    ("劳动和技能竞赛", ALWAYS, Q("a1_competitions")),
    ("创新工作室", ALWAYS, Q("a1_innovation")),
    ("劳模工作", ALWAYS, Q("a1_model_workers")),
    ("安康杯", ALWAYS, Q("a1_ankang")),
    ("双爱双创", ALWAYS, Q("a1_harmony")),
    ("集体合同建制率80%", ALWAYS, GE("a1_collective_contract_rate", 80)),
    ("工资集体合同建制率80%", ALWAYS, GE("a1_wage_contract_rate", 80)),
    ("行业区域集体协商", ALWAYS, Q("a1_sectoral_bargaining")),
    ("女职工专项合同签订率90%", ALWAYS, GE("a1_women_contract_rate", 90)),
    ("非公企业厂务公开建制率80%", ALWAYS, GE("a1_open_affairs_rate", 80)),
    ("非公企业职代会建制率80%", ALWAYS, GE("a1_congress_rate", 80)),
    ("职工董事监事", ALWAYS, Q("a1_worker_directors")),
    ("普法宣传、法律援助", ALWAYS, Q("a1_legal_education")),
    ("困难职工档案", ALWAYS, Q("a1_hardship_files")),
    ("帮扶资金专户", ALWAYS, Q("a1_aid_fund")),
    ("帮扶资金制度", ALWAYS, Q("a1_aid_fund_rules")),
    ("服务工作制度台账", ALWAYS, Q("a1_service_rules")),
    ("足额收缴经费", ALWAYS, Q("a1_funds_collected")),
    ("严控三公经费", ALWAYS, Q("a1_spending")),
    ("预决算审计监督", ALWAYS, Q("a1_budget_audit")),
    ("保护工会财产", ALWAYS, Q("a1_assets")),
    ("至少一项特色品牌", ALWAYS, GE("a1_brands", 1)),
    ("党工共建", ALWAYS, Q("a1_party_union")),
    ("每年至少向常委会汇报一次", ALWAYS, GE("a1_committee_reports", 1)),
    ("联席会每年至少一次", ALWAYS, GE("a1_joint_meetings", 1)),
    ("三方协调每年至少一次", ALWAYS, GE("a1_tripartite_meetings", 1)),
]

ANNEX["devzone"] = [  # 附件2 开发区（工业园区）工会
    ("政治方向", ALWAYS, Q("a2_political")),
    ("社团法人资格证", ALWAYS, Q("a2_legal_person")),
    ("不合并到党群工作部", ALWAYS, Q("a2_independent")),
    ("小三级网络", Q("a2_has_subdistricts"), Q("a2_three_level_network")),
    ("属地管理", ALWAYS, Q("a2_affiliation")),
    ("选举产生", ALWAYS, Q("a2_elected")),
    ("经审女职委主任", ALWAYS, Q("a2_directors")),
    ("干部队伍", ALWAYS, Q("a2_cadres")),
    ("设施场所", ALWAYS, Q("a2_premises")),
    ("帮扶服务中心", ALWAYS, Q("a2_service_centre")),
    ("按期换届", ALWAYS, Q("a2_election_on_time")),
    ("全委会议每年至少一次", ALWAYS, GE("committee_meetings", 1)),
    ("民主程序", ALWAYS, Q("a2_democratic_appointment")),
    ("替补增补免职", ALWAYS, Q("a2_replacement_procedure")),
    ("独立银行账户", ALWAYS, Q("a2_bank_account")),
    ("开支集体研究", ALWAYS, Q("a2_spending_rules")),
    ("管委会投入", ALWAYS, Q("a2_committee_support")),
    ("汇报制度", ALWAYS, Q("a2_reporting")),
    ("内部制度", ALWAYS, Q("a2_internal_rules")),
    ("基层制度机制", ALWAYS, Q("a2_grassroots_systems")),
    ("基础资料", ALWAYS, Q("a2_records")),
    ("工会工作制度", ALWAYS, Q("a2_work_rules")),
    ("组建率85%", ALWAYS, GE("establishment_rate", 85)),
    ("入会率85%", ALWAYS, GE("membership_rate", 85)),
    ("25人以上单独建会", ALWAYS, lambda r: r["a2_max_staff_without_union"] < 25),
    ("不超过50个小微企业", ALWAYS, lambda r: r["a2_max_firms_per_joint_union"] <= 50),
    ("指导规范建会", ALWAYS, Q("a2_guidance")),
    ("双创优", ALWAYS, Q("a2_double_excellence")),
    ("服务宗旨", ALWAYS, Q("a2_service_purpose")),
    ("服务型工会", ALWAYS, Q("a2_service_union")),
    ("技能活动", ALWAYS, Q("a2_skills")),
    ("维权职责", ALWAYS, Q("a2_rights")),
    ("评议满意度80%", ALWAYS, GE("satisfaction_work", 80)),
    ("文体活动", ALWAYS, Q("a2_culture")),
    ("政策宣传", ALWAYS, Q("a2_publicity")),
    ("知晓率80%", ALWAYS, GE("awareness_rate", 80)),
]

ANNEX["township"] = [  # 附件3 乡镇（街道）工会
    ("政治方向", ALWAYS, Q("a3_political")),
    ("列入党建目标", ALWAYS, Q("a3_in_party_goals")),
    ("党组织专题研究不少于2次", ALWAYS, GE("party_studies", 2)),
    ("联席会议制度", ALWAYS, Q("a3_joint_meeting_system")),
    ("列入财政预算", ALWAYS, Q("a3_budget")),
    ("配备主席", ALWAYS, Q("a3_chair")),
    ("社团法人资格", ALWAYS, Q("a3_legal_person")),
    ("选举产生按时换届", ALWAYS, Q("a3_elected")),
    ("企业建会率90%", ALWAYS, GE("establishment_rate", 90)),
    ("入会率90%", ALWAYS, GE("membership_rate", 90)),
    ("灵活就业入会平台", ALWAYS, Q("a3_flexible_platform")),
    ("实名制动态管理", ALWAYS, Q("a3_real_name_mgmt")),
    ("实名制率80%", ALWAYS, GE("real_name_rate", 80)),
    ("技术创新活动", ALWAYS, Q("a3_innovation")),
    ("职工之家书屋", ALWAYS, Q("a3_home_library")),
    ("主题教育", ALWAYS, Q("a3_theme_education")),
    ("工人先锋号", ALWAYS, Q("a3_models")),
    ("签订率达上级要求", ALWAYS, Q("a3_contracts")),
    ("劳动争议调处机制", ALWAYS, Q("a3_dispute_mechanism")),
    ("无群体性事件", ALWAYS, NOT("a3_group_incident")),
    ("安康杯", ALWAYS, Q("a3_ankang")),
    ("无较大以上事故", ALWAYS, NOT("a3_major_accident")),
    ("医疗互助宣传", ALWAYS, Q("a3_mutual_aid")),
    ("爱心驿站", ALWAYS, Q("a3_rest_station")),
    ("送温暖", ALWAYS, Q("a3_relief")),
    ("民主管理制度", ALWAYS, Q("a3_democratic_mgmt")),
    ("职代会建制率80%", ALWAYS, GE("a3_congress_rate", 80)),
    ("厂务公开建制率80%", ALWAYS, GE("a3_open_affairs_rate", 80)),
    ("指导服务机制", ALWAYS, Q("a3_guidance_mechanism")),
    ("干部队伍建设", ALWAYS, Q("a3_cadres")),
    ("服务长效机制", ALWAYS, Q("a3_service_mechanism")),
    ("基层工会满意率85%", ALWAYS, GE("a3_union_satisfaction", 85)),
    ("会员满意率85%", ALWAYS, GE("satisfaction_work", 85)),
    ("上墙台账", ALWAYS, Q("a3_posted")),
    ("六有", ALWAYS, Q("a3_six_haves")),
    ("独立建账", ALWAYS, Q("a3_accounts")),
    ("代表常任制", ALWAYS, Q("a3_permanent_delegates")),
    ("双亮开展率85%", ALWAYS, GE("a3_double_show_rate", 85)),
    ("会员评家开展率90%", ALWAYS, GE("a3_member_review_rate", 90)),
    ("特色工作", ALWAYS, Q("a3_featured")),
]

ANNEX["federation"] = [  # 附件4 行业（区域）工会联合会
    ("政治方向", ALWAYS, Q("a4_political")),
    ("列入党建考核", ALWAYS, Q("a4_in_party_goals")),
    ("党组织专题研究不少于一次", ALWAYS, GE("party_studies", 1)),
    ("行政支持", ALWAYS, Q("a4_admin_support")),
    ("配备工会干部", ALWAYS, Q("a4_cadres")),
    ("网络架构", ALWAYS, Q("a4_network")),
    ("计划小结总结", ALWAYS, Q("a4_plans")),
    ("独立建账无违纪", ALWAYS, Q("a4_accounts")),
    ("职代会制度", ALWAYS, Q("a4_congress")),
    ("服务长效机制", ALWAYS, Q("a4_service_mechanism")),
    ("平等协商", ALWAYS, Q("a4_bargaining")),
    ("安康杯法律宣传", ALWAYS, Q("a4_ankang_law")),
    ("无生产安全事故", ALWAYS, NOT("a4_accident")),
    ("帮扶慰问", ALWAYS, Q("a4_relief")),
    ("政策宣传", ALWAYS, Q("a4_publicity")),
    ("服务设施", ALWAYS, Q("a4_facilities")),
    ("活动中心", ALWAYS, Q("a4_centre")),
    ("主题教育", ALWAYS, Q("a4_theme_education")),
    ("竞赛活动", ALWAYS, Q("a4_competitions")),
    ("工人先锋号", ALWAYS, Q("a4_models")),
    ("按时换届", ALWAYS, Q("a4_elections")),
    ("职工之家创建机制", ALWAYS, Q("a4_home_mechanism")),
    ("参与率90%", ALWAYS, GE("a4_home_participation_rate", 90)),
    ("企业建会率90%", ALWAYS, GE("establishment_rate", 90)),
    ("入会率90%", ALWAYS, GE("membership_rate", 90)),
    ("实名制率85%", ALWAYS, GE("real_name_rate", 85)),
    ("农牧民工入会", ALWAYS, Q("a4_migrant_members")),
    ("干部培训", ALWAYS, Q("a4_cadre_training")),
    ("经审会监督", ALWAYS, Q("a4_audit_supervision")),
    ("会务公开评家", ALWAYS, Q("a4_openness")),
    ("工会工作满意率90%", ALWAYS, GE("satisfaction_work", 90)),
    ("工会主席满意率90%", ALWAYS, GE("satisfaction_chair", 90)),
    ("特色工作", ALWAYS, Q("a4_featured")),
]

ANNEX["joint"] = [  # 附件5 联合基层工会
    ("政治方向", ALWAYS, Q("a5_political")),
    ("社团法人独立账户", ALWAYS, Q("a5_legal_person")),
    ("选举换届", ALWAYS, Q("a5_elected")),
    ("小微企业覆盖90%", ALWAYS, GE("a5_coverage_rate", 90)),
    ("分会小组", ALWAYS, Q("a5_branches")),
    ("入会率90%", ALWAYS, GE("membership_rate", 90)),
    ("集体合同签订率", ALWAYS, Q("a5_contracts")),
    ("调解监督帮困机制", ALWAYS, Q("a5_mechanisms")),
    ("无群体性事件", ALWAYS, NOT("a5_group_incident")),
    ("和谐创建参与率90%", ALWAYS, GE("a5_harmony_rate", 90)),
    ("安康杯", ALWAYS, Q("a5_ankang")),
    ("无伤亡事故", ALWAYS, NOT("a5_casualty_accident")),
    ("主题教育文体", ALWAYS, Q("a5_theme_culture")),
    ("技能活动", ALWAYS, Q("a5_skills")),
    ("政策宣传", ALWAYS, Q("a5_publicity")),
    ("知晓率80%", ALWAYS, GE("awareness_rate", 80)),
    ("帮扶劳模服务", ALWAYS, Q("a5_care")),
    ("组织健全上墙", ALWAYS, Q("a5_organisation")),
    ("实名制动态管理", ALWAYS, Q("a5_real_name_mgmt")),
    ("实名制率85%", ALWAYS, GE("real_name_rate", 85)),
    ("独立建账", ALWAYS, Q("a5_accounts")),
    ("会务公开", ALWAYS, Q("a5_openness")),
    ("代表常任制评家", ALWAYS, Q("a5_member_review")),
    ("工会工作满意率85%", ALWAYS, GE("satisfaction_work", 85)),
    ("工会主席满意率85%", ALWAYS, GE("satisfaction_chair", 85)),
]

ANNEX["enterprise"] = [  # 附件6 企业工会
    ("政治方向", ALWAYS, Q("a6_political")),
    ("三委会健全", ALWAYS, Q("a6_committees")),
    ("主席依法选举", ALWAYS, Q("a6_chair")),
    ("法人资格", ALWAYS, Q("a6_legal_person")),
    ("干部积极分子", ALWAYS, Q("a6_cadres")),
    ("双亮上墙", ALWAYS, Q("a6_double_show")),
    ("主题教育", ALWAYS, Q("a6_theme_education")),
    ("帮扶救助", ALWAYS, Q("a6_relief")),
    ("技能安康杯", ALWAYS, Q("a6_skills")),
    ("文体活动", ALWAYS, Q("a6_culture")),
    ("双爱双创", ALWAYS, Q("a6_double_love")),
    ("普惠服务", ALWAYS, Q("a6_benefits")),
    ("场所阵地", ALWAYS, Q("a6_venues")),
    ("工作制度", ALWAYS, Q("a6_work_rules")),
    ("会员代表常任制等", ALWAYS, Q("a6_member_systems")),
    ("会员大会每年至少一次", ALWAYS, GE("member_congresses", 1)),
    ("民主管理厂务公开", ALWAYS, Q("a6_democratic_mgmt")),
    ("职代会每年至少一次", ALWAYS, GE("a6_worker_congresses", 1)),
    ("平等协商机制", ALWAYS, Q("a6_bargaining")),
    ("集体合同", ALWAYS, Q("a6_collective_contract")),
    ("工资专项", ALWAYS, Q("a6_wage_contract")),
    ("女职工专项", ALWAYS, Q("a6_women_contract")),
    ("足额上缴", ALWAYS, Q("a6_funds_paid")),
    ("工会账户", ALWAYS, Q("a6_account")),
    ("公布账目", ALWAYS, Q("a6_accounts_published")),
    ("一支笔", ALWAYS, Q("a6_approval")),
    ("实名制管理", ALWAYS, Q("a6_real_name_mgmt")),
    ("入会率80%", ALWAYS, GE("membership_rate", 80)),
    ("实名制率80%", ALWAYS, GE("real_name_rate", 80)),
    ("无拖欠工资", ALWAYS, NOT("a6_wage_arrears")),
    ("无群体性事件", ALWAYS, NOT("a6_group_incident")),
    ("无死亡事故", ALWAYS, NOT("a6_fatal_accident")),
    ("无职业病危害事件", ALWAYS, NOT("a6_occupational_disease")),
    ("工会工作满意率80%", ALWAYS, GE("satisfaction_work", 80)),
    ("工会主席满意率80%", ALWAYS, GE("satisfaction_chair", 80)),
]

ANNEX["agency"] = [  # 附件7 机关、事业单位工会
    ("指导思想", ALWAYS, Q("a7_guiding_thought")),
    ("围绕中心", ALWAYS, Q("a7_serve_centre")),
    ("双重领导", ALWAYS, Q("a7_dual_leadership")),
    ("选举报批", ALWAYS, Q("a7_elected")),
    ("具备法人条件的取得法人资格", Q("a7_legal_person_eligible"), Q("a7_legal_person")),
    ("经费账户", ALWAYS, Q("a7_account")),
    ("任期三至五年", ALWAYS, lambda r: 3 <= r["a7_term_years"] <= 5),
    ("干部队伍", ALWAYS, Q("a7_cadres")),
    ("带头学习", ALWAYS, Q("a7_leaders_study")),
    ("新任主席一年内培训", Q("new_chair"), lambda r: r["new_chair_training_months"] <= 12),
    ("工作制度", ALWAYS, Q("a7_work_rules")),
    ("会员代表常任制等", ALWAYS, Q("a7_member_systems")),
    ("会员大会每年至少一次", ALWAYS, GE("member_congresses", 1)),
    ("事业单位民主管理", Q("a7_is_institution"), Q("a7_democratic_mgmt")),
    ("每年至少向职代会报告一次", Q("a7_is_institution"), GE("a7_congress_reports", 1)),
    ("先进模范", ALWAYS, Q("a7_models")),
    ("党政工联席会议", ALWAYS, Q("a7_joint_meeting")),
    ("事务公开", ALWAYS, Q("a7_open_affairs")),
    ("调解机制", ALWAYS, Q("a7_mediation")),
    ("维权素质工程", ALWAYS, Q("a7_rights_quality")),
    ("文体活动", ALWAYS, Q("a7_culture")),
    ("帮扶救助", ALWAYS, Q("a7_relief")),
    ("主题教育", ALWAYS, Q("a7_theme_education")),
    ("业务练兵", ALWAYS, Q("a7_skills")),
    ("实名制管理", ALWAYS, Q("a7_real_name_mgmt")),
    ("入会率90%", ALWAYS, GE("membership_rate", 90)),
    ("实名制率90%", ALWAYS, GE("real_name_rate", 90)),
    ("工会工作满意率80%", ALWAYS, GE("satisfaction_work", 80)),
    ("工会主席满意率80%", ALWAYS, GE("satisfaction_chair", 80)),
    ("普惠服务", ALWAYS, Q("a7_benefits")),
]

INDEX = {"county": "annex1", "devzone": "annex2", "township": "annex3",
         "federation": "annex4", "joint": "annex5", "enterprise": "annex6",
         "agency": "annex7"}


def evaluate(r):
    """-> (rating, applicable, passed, [failed texts]) for a record of names."""
    reqs = [(t, h) for (t, a, h) in ANNEX[r["kind"]] if a(r)]
    failed = [t for (t, h) in reqs if not h(r)]
    rating = "达标" if not failed else "未达标"
    return rating, len(reqs), len(reqs) - len(failed), failed


def complete(rec, types):
    """Fill the names a record does not give with their blank-cell value."""
    r = {}
    for name, (typ, _) in types.items():
        if name in ("id",):
            continue
        r[name] = rec.get(name, False if typ == "bool" else 0)
    r["kind"] = rec["kind"]
    return r


def main():
    types = labels_from_policy()
    by_label = {lab: (name, typ) for name, (typ, lab) in types.items()}
    rows = []
    with open(DATA, encoding="utf-8-sig", newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        for line in rd:
            rec = {}
            for col, s in zip(header, line):
                name, typ = by_label.get(col, (col, None))
                if typ == "text":
                    rec["id"] = s
                elif typ is not None:
                    rec[name] = cell(typ, s)
            rid = rec.pop("id")
            rating, n, ok, failed = evaluate(complete(rec, types))
            rows.append((rid, rating, 0, n - ok))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "rating", "vetoed", "failed"])
        w.writerows(rows)
    print("%d rows -> %s" % (len(rows), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
