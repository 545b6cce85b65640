#!/usr/bin/env python3
"""Hand computation of policies/hangzhou-2025.csv from the document, independent of tally.

杭总工办〔2025〕8号, 附件1 基层工会组织规范化建设工作指引. Every check of the table is
written out below from the document (with the reading chosen in
policies/NOTES-hangzhou-2025.md); the star level follows 四、工作方式:
  一星级  all of 基本指数
  二星级  + all of 规范指数
  三星级  + at least 80% of the 三星 活力指数 checks that apply
  四星级  + at least 90% of the 四星 活力指数 checks that apply + one 创新指数 item
  五星级  + at least 95% of the 五星 活力指数 checks that apply + one 创新指数 item
  (定为二至五星级的, 均应达到前一个星级的指数要求: each level needs all lower ones)
一票否决: a fatal safety accident or a serious occupational-disease event in the three
years up to the evaluation date (after 2022-12-31, up to 2025-12-31), or a group
incident from a labour dispute: no level.

Usage: hangzhou-2025.hand.py [policies/hangzhou-2025.csv] > tests/golden/hangzhou-2025.hand.csv
Output columns: id,rating,vetoed,failed (failed = failed checks that apply, all indices).
"""
import csv
import datetime
import sys
from decimal import Decimal
from fractions import Fraction

AS_OF = datetime.date(2025, 12, 31)

# input name -> column label (the labels of policies/hangzhou-2025.tally)
LABELS = {
    "id": "工会名称", "kind": "工会类别", "staff": "职工人数",
    "union_committee": "依法建立工会委员会", "audit_committee": "依法建立经费审查委员会",
    "female_members": "女会员人数", "women_committee": "建立女职工委员会",
    "chair_elected": "工会主席(副主席)依法选举产生，依法配备工会干部",
    "legal_person": "依法取得工会法人资格证书，及时办理工会法人代表变更登记",
    "finance_standard": "开立银行账户，经费独立核算、依法足额拨缴，配备会计人员，核算和票据管理规范，“一支笔”审批，重大支出集体决策",
    "service_vehicle": "有服务职工的活动载体",
    "ideology_vehicle": "职工思想政治引领有载体，开展职工文体活动",
    "organisation_sound": "三委同步建立按时换届，组织架构健全，亮牌子亮身份上墙，会员实名制会籍管理规范，新任工会干部参加上岗培训",
    "member_congresses": "本年召开会员(代表)大会次数",
    "merit_vehicle": "有职工岗位建功、岗位成才的工作载体或活动",
    "audit_supervision": "落实经审会审查审计监督",
    "worker_congresses": "本年召开职工(代表)大会次数",
    "open_affairs": "实行厂务公开",
    "home_evaluation": "开展会员评家活动",
    "rights_service": "开展职工维权服务活动",
    "ideology_activities": "开展“三个精神”“中国梦·劳动美”“班前十分钟”等职工思想政治引领活动，经常性开展职工文体活动",
    "elections_regular": "三委按期换届选举(及时补选)、程序规范",
    "subordinate_unions": "区域性(行业性)工会下属工会组织健全，按时换届，选举工作规范",
    "realname_dynamic": "工会会员实名制动态管理",
    "realname_rate": "会员实名制率(含农民工、劳务派遣工)",
    "membership_rate": "职工入会率",
    "skills_activities": "开展职工技能素质提升、技能比武、“安康杯”竞赛等活动",
    "fixed_premises": "有固定的工会工作场所",
    "democracy3": "建立以职工(代表)大会为基本形式的民主管理制度并实行厂务公开(机关单位: 有干部职工民主参与民主监督的渠道)",
    "satisfaction_work": "会员对工会工作满意率",
    "satisfaction_chair": "会员对工会主席满意率",
    "volunteer_activities": "开展工会志愿服务活动",
    "legal_publicity": "开展工会法律宣传活动",
    "law_supervision": "开展工会劳动法律监督等活动",
    "bargaining": "建立和落实平等协商机制，依法签订集体合同和专项集体合同",
    "mediation": "健全劳动争议调解组织，完善劳动关系矛盾调解机制",
    "festival_visits": "重要时间节点开展职工慰问活动",
    "mutual_aid_rate": "在职职工医疗互助参加率",
    "recuperation": "按规定开展职工疗养、工会会员意外伤害保障等工作",
    "regional_hardship": "区域性(行业性)工会按规定开展困难职工帮扶救助工作",
    "policy_publicity": "做好工会各项服务职工的政策宣传",
    "service_position": "有工会服务阵地，工会标识明显",
    "big_ideology_class": "常态化开展职工大思政课、职工文体活动",
    "model_workers": "做好劳模工匠等先进典型的培育、选树、推荐、宣传和管理工作",
    "party_builds_union": "党建带工建，党政支持工会工作，工会工作有计划有方案有落实有总结，工会干部参加培训",
    "party_studies": "本年党组织专题研究工会工作次数",
    "chair_in_party_committee": "党员工会主席进入单位党委(支部)班子",
    "affiliates_included": "把关联企业、合作企业等建会入会工作纳入本单位工会工作",
    "industrial_reform": "积极开展产业工人队伍建设改革工作",
    "innovation_studio": "创建劳模(工匠)创新工作室，开展“名师带徒”、劳动技能竞赛、“五小”等活动",
    "democracy4": "民主管理制度健全(企业: 职代会、厂务公开、职工董事监事; 机关事业: 事务公开制度; 区域: 区域性职代会、厂务公开)",
    "rights4": "依法维权(机关事业: 工作时间、休息时间、合法权益; 企业、区域: 能级工资集体协商、根治欠薪、监督员和调解员队伍)",
    "spring_breeze": "开展“春风行动”等工作",
    "hardship_regular": "常态化开展职工困难帮扶工作",
    "frontline_care": "有关心关爱一线从业人员的机制",
    "welfare": "按规定落实干部职工各项福利",
    "care_activities": "因地制宜开展托管托育、春秋游、单身青年交友、女职工关爱等活动",
    "ideology_brand": "推动职工思想政治引领工作品牌化、特色化、机制化",
    "model_mechanism": "劳模工匠等先进典型培育选树有机制有抓手",
    "has_subunits": "有下级单位(二级工会)",
    "subunit_founding_rate": "下级单位建会率",
    "subunit_one_star": "二级工会达到一星级的比例",
    "subunit_two_star": "二级工会达到二星级的比例",
    "affiliate_founding_rate": "关联企业、合作企业等建会率",
    "cadre_training": "工会干部定期开展培训，将工会常识作为新员工入职培训的内容之一",
    "reform_brand": "产业工人队伍建设改革有载体有项目有机制有品牌",
    "finance_management": "建立健全内部财务会计管理制度，财务规范化建设成效显著，预算绩效管理，接受财务检查和经审监督",
    "funds_reports": "本年向会员(代表)大会报告经费收支情况次数",
    "rules_complete": "工会工作各项工作制度健全",
    "democracy5": "多级(多形式)民主管理(按本类别对应要求)",
    "social_governance": "积极参与社会治理，推动企业履行社会责任，有工会志愿服务项目",
    "law_supervision5": "依法开展工会劳动法律监督，推动规范用工",
    "brand_projects": "构建和谐劳动关系有项目有品牌(机关事业: 推动提质增效、创新发展有载体有抓手有成效)",
    "frontline_brand": "有服务职工特别是新就业形态劳动者等一线从业人员的工作品牌和长效机制",
    "innovation_work": "立足实际至少有一项创新或特色工作",
    "pilot_unit": "全省、省总、市总试点单位",
    "commended": "受上级表彰、批示肯定",
    "other_highlights": "其他亮点",
    "last_fatal_accident": "最近一次人员死亡的生产安全事故日期",
    "last_occupational_event": "最近一次严重职业病危害事件日期",
    "group_incident": "评定年度内因劳动争议引起群体性、突发性事件",
}

KINDS = {"国有(集体)企业": "soe", "非公企业": "private", "新业态企业": "newform",
         "机关(事业)单位": "agency", "区域(行业)性": "regional"}
INTS = {"staff", "female_members", "member_congresses", "worker_congresses",
        "party_studies", "funds_reports"}
PCTS = {"realname_rate", "membership_rate", "satisfaction_work", "satisfaction_chair",
        "mutual_aid_rate", "subunit_founding_rate", "subunit_one_star", "subunit_two_star",
        "affiliate_founding_rate"}
DATES = {"last_fatal_accident", "last_occupational_event"}
LEVELS = ["一星级", "二星级", "三星级", "四星级", "五星级"]


def value(name, cell):
    cell = cell.strip()
    if name == "id":
        return cell
    if name == "kind":
        return KINDS.get(cell, cell)
    if name in INTS:
        return int(cell)
    if name in PCTS:
        return Decimal(cell.rstrip("%"))
    if name in DATES:
        return datetime.date.fromisoformat(cell) if cell else None
    if cell in ("是", "Y", "yes", "1", "√"):
        return True
    if cell in ("否", "N", "no", "0", "×"):
        return False
    raise ValueError(f"{name}: {cell!r}")


def within_3_years(d):
    if d is None:
        return False
    start = AS_OF.replace(year=AS_OF.year - 3)   # the same day three years before
    return start < d <= AS_OF


def checks(r):
    """[(index, short text, applies, passes)] in the document's order."""
    k = r["kind"]
    s = r["staff"]
    ent = k in ("soe", "private", "newform")
    C = []

    def add(index, text, applies, passes):
        C.append((index, text, applies, bool(passes) if applies else None))

    # 基本指数
    add("basic", "依法建立工会委员会、经费审查委员会、女会员10人以上的建立女职工委员会", True,
        r["union_committee"] and r["audit_committee"] and (r["female_members"] < 10 or r["women_committee"]))
    add("basic", "工会主席(副主席)依法选举产生,依法配备工会干部", True, r["chair_elected"])
    # 规范指数
    add("normative", "法人资格证书", True, r["legal_person"])
    add("normative", "银行账户、独立核算……集体讨论决策", True, r["finance_standard"])
    add("normative", "有服务职工的活动载体", True, r["service_vehicle"])
    add("normative", "思想政治引领有载体、文体活动", True, r["ideology_vehicle"])
    add("normative", "三委同步建立……每年至少召开一次会员(代表)大会……", True,
        r["organisation_sound"] and r["member_congresses"] >= 1)
    add("normative", "岗位建功、岗位成才", True, r["merit_vehicle"])
    add("normative", "落实经审会审查审计监督", True, r["audit_supervision"])
    add("normative", "每年至少召开一次职工(代表)大会,实行厂务公开", True,
        r["worker_congresses"] >= 1 and r["open_affairs"])
    add("normative", "开展会员评家活动", True, r["home_evaluation"])
    add("normative", "开展职工维权服务活动", True, r["rights_service"])
    # 活力指数 三星
    add("v3", "三个精神……文体活动", True, r["ideology_activities"])
    add("v3", "三委按期换届选举", True, r["elections_regular"])
    add("v3", "区域性工会下属工会组织健全", k == "regional", r["subordinate_unions"])
    add("v3", "实名制动态管理, 实名制率>=80%", True, r["realname_dynamic"] and r["realname_rate"] >= 80)
    add("v3", "企事业单位工会职工入会率>=80%", k != "regional", r["membership_rate"] >= 80)
    add("v3", "技能素质提升、技能比武、安康杯", True, r["skills_activities"])
    add("v3", "有固定的工会工作场所", True, r["fixed_premises"])
    add("v3", "企事业单位/区域性职代会民主管理、厂务公开", k != "agency", r["democracy3"])
    add("v3", "机关单位民主参与民主监督渠道", k == "agency", r["democracy3"])
    add("v3", "满意率分别>=80%", True, r["satisfaction_work"] >= 80 and r["satisfaction_chair"] >= 80)
    add("v3", "工会志愿服务活动", True, r["volunteer_activities"])
    add("v3", "工会法律宣传活动", True, r["legal_publicity"])
    add("v3", "劳动法律监督", k != "agency", r["law_supervision"])
    add("v3", "平等协商、集体合同", k != "agency", r["bargaining"])
    add("v3", "劳动争议调解组织", k != "agency", r["mediation"])
    add("v3", "重要时间节点慰问", True, r["festival_visits"])
    if s < 50:
        need = 90
    elif s <= 100:
        need = 80
    else:
        need = 70
    add("v3", "医疗互助参加 90/80/70 by staff", k != "regional", r["mutual_aid_rate"] >= need)
    add("v3", "区域医疗互助 80 (<=100) / 70 (>100)", k == "regional",
        r["mutual_aid_rate"] >= (80 if s <= 100 else 70))
    add("v3", "疗养、意外伤害保障", True, r["recuperation"])
    add("v3", "区域性工会困难职工帮扶救助", k == "regional", r["regional_hardship"])
    add("v3", "政策宣传", True, r["policy_publicity"])
    add("v3", "服务阵地、标识", True, r["service_position"])
    # 活力指数 四星
    add("v4", "大思政课", True, r["big_ideology_class"])
    add("v4", "劳模工匠", True, r["model_workers"])
    add("v4", "党建带工建……", True, r["party_builds_union"])
    add("v4", "党组织每年专题研究>=1, 党员主席进班子", k != "regional",
        r["party_studies"] >= 1 and r["chair_in_party_committee"])
    add("v4", "关联企业建会入会纳入", k != "regional", r["affiliates_included"])
    add("v4", "产改工作", k != "agency", r["industrial_reform"])
    add("v4", "创新工作室、名师带徒、五小", True, r["innovation_studio"])
    add("v4", "民主管理(企业)", ent, r["democracy4"])
    add("v4", "事务公开(机关事业)", k == "agency", r["democracy4"])
    add("v4", "区域性职代会(区域)", k == "regional", r["democracy4"])
    add("v4", "满意率>=90%", True, r["satisfaction_work"] >= 90 and r["satisfaction_chair"] >= 90)
    add("v4", "机关维权", k == "agency", r["rights4"])
    add("v4", "企业、区域能级工资协商……队伍", k != "agency", r["rights4"])
    need4 = 85 if k == "newform" else 90
    add("v4", "春风行动, 医疗互助 90/85/90", k != "regional", r["spring_breeze"] and r["mutual_aid_rate"] >= need4)
    add("v4", "困难帮扶(国有、非公)", k in ("soe", "private"), r["hardship_regular"])
    add("v4", "困难帮扶+一线从业人员(新业态)", k == "newform", r["hardship_regular"] and r["frontline_care"])
    add("v4", "困难帮扶+福利(机关事业)", k == "agency", r["hardship_regular"] and r["welfare"])
    add("v4", "托管托育等", True, r["care_activities"])
    # 活力指数 五星
    add("v5", "思想政治引领品牌化", True, r["ideology_brand"])
    add("v5", "劳模机制", True, r["model_mechanism"])
    add("v5", "下级单位建会率100%, 二级工会一星100% 二星95%", r["has_subunits"],
        r["subunit_founding_rate"] >= 100 and r["subunit_one_star"] >= 100 and r["subunit_two_star"] >= 95)
    add("v5", "新业态关联企业建会率>=70%", k == "newform", r["affiliate_founding_rate"] >= 70)
    add("v5", "干部培训, 实名制率>=95%, 入会率>=95%", True,
        r["cadre_training"] and r["realname_rate"] >= 95 and r["membership_rate"] >= 95)
    add("v5", "产改有载体有项目有机制有品牌", k != "agency", r["reform_brand"])
    add("v5", "财务管理, 每年至少一次报告经费收支", True, r["finance_management"] and r["funds_reports"] >= 1)
    add("v5", "各项工作制度健全", True, r["rules_complete"])
    add("v5", "民主管理(国有、非公)", k in ("soe", "private"), r["democracy5"])
    add("v5", "民主管理(新业态)", k == "newform", r["democracy5"])
    add("v5", "民主管理(区域)", k == "regional", r["democracy5"])
    add("v5", "民主管理(机关事业)", k == "agency", r["democracy5"])
    add("v5", "满意率>=95%", True, r["satisfaction_work"] >= 95 and r["satisfaction_chair"] >= 95)
    add("v5", "社会治理、志愿服务项目", True, r["social_governance"])
    add("v5", "劳动法律监督、规范用工", k != "agency", r["law_supervision5"])
    add("v5", "和谐劳动关系有项目有品牌", k != "agency", r["brand_projects"])
    add("v5", "机关提质增效", k == "agency", r["brand_projects"])
    need5 = 90 if k == "newform" else 95
    add("v5", "医疗互助 95/90/95", k != "regional", r["mutual_aid_rate"] >= need5)
    add("v5", "一线从业人员工作品牌和长效机制", True, r["frontline_brand"])
    # 创新指数
    add("innovation", "至少一项创新或特色工作", True, r["innovation_work"])
    add("innovation", "试点单位", True, r["pilot_unit"])
    add("innovation", "受上级表彰、批示肯定", True, r["commended"])
    add("innovation", "其他亮点", True, r["other_highlights"])
    return C


def tally_of(C, index):
    applying = [c for c in C if c[0] == index and c[2]]
    passed = sum(1 for c in applying if c[3])
    return passed, len(applying)


def share_at_least(C, index, pct):
    passed, n = tally_of(C, index)
    if n == 0:
        return True   # 100% if none apply
    return Fraction(passed * 100, n) >= pct


def evaluate(r):
    C = checks(r)
    vetoed = (within_3_years(r["last_fatal_accident"]) or within_3_years(r["last_occupational_event"])
              or r["group_incident"])
    innovation = tally_of(C, "innovation")[0] >= 1
    conds = [
        share_at_least(C, "basic", 100),
        share_at_least(C, "normative", 100),
        share_at_least(C, "v3", 80),
        share_at_least(C, "v4", 90) and innovation,
        share_at_least(C, "v5", 95) and innovation,
    ]
    level = ""
    for i, name in enumerate(LEVELS):          # cumulative: stop at the first unmet level
        if not conds[i]:
            break
        level = name
    if vetoed:
        level = ""
    failed = sum(1 for c in C if c[2] and not c[3])
    counts = {ix: tally_of(C, ix) for ix in ("basic", "normative", "v3", "v4", "v5", "innovation")}
    return level, vetoed, failed, counts


def read(path):
    names = {label: name for name, label in LABELS.items()}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield {names[h]: value(names[h], c) for h, c in row.items()}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "policies/hangzhou-2025.csv"
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "rating", "vetoed", "failed"])
    for r in read(path):
        level, vetoed, failed, _ = evaluate(r)
        out.writerow([r["id"], level, 1 if vetoed else 0, failed])


if __name__ == "__main__":
    main()
