#!/usr/bin/env python3
"""Hand computation of policies/hangzhou-2025-township.csv from the document, independent of tally.

杭总工办〔2025〕8号, 附件2 乡镇(街道、园区)工会规范化建设工作指引 (供参照执行). Every check
of the table is written out below from the document (with the reading chosen in
policies/NOTES-hangzhou-2025.md); the star level follows 四、工作方式 by reference:
  一星级  all of 基本指数
  二星级  + all of 规范指数
  三星级  + at least 80% of the 三星级 活力指数 checks that apply
  四星级  + at least 90% of the 四星 活力指数 checks + one 创新指数 item
  五星级  + at least 95% of the 五星 活力指数 checks + one 创新指数 item
  (each level needs all lower ones)
一票否决 as in 附件1: fatal safety accident or serious occupational-disease event after
2022-12-31 up to 2025-12-31, or a group incident from a labour dispute: no level.

Usage: hangzhou-2025-township.hand.py [policies/hangzhou-2025-township.csv]
         > tests/golden/hangzhou-2025-township.hand.csv
Output columns: id,rating,vetoed,failed (failed = failed checks that apply, all indices).
"""
import csv
import datetime
import sys
from decimal import Decimal
from fractions import Fraction

AS_OF = datetime.date(2025, 12, 31)

# input name -> column label (the labels of policies/hangzhou-2025-township.tally)
LABELS = {
    "id": "工会名称", "kind": "工会类型", "main_urban": "位于主城区范围内",
    "org_system": "建立工会委员会组织体系(符合条件的建立总工会)，三委班子健全，主席、副主席依法民主选举产生，按时换届",
    "guide_grassroots": "指导服务基层工会开展工会工作",
    "six_haves": "有牌子、有印章、有办公场地、有制度、有活动、有经费",
    "finance_standard": "开立银行账户，经费独立核算，配备会计人员，预算管理，绩效评价，公款竞争性存放，重大支出集体决策",
    "ideology_culture": "开展职工思想政治引领，组织开展职工文体活动",
    "party_gov_support": "党委政府支持工会工作，配备工会干部，会务公开，“双亮”上墙，指导服务基层工会工作机制，会员代表大会及代表常任制",
    "new_leaders": "本届有新任工会主席、专职副主席",
    "leaders_trained": "新任工会主席、专职副主席上岗一年内参加上级工会任职培训并合格",
    "tech_innovation": "指导基层工会开展群众性经济技术创新活动",
    "democracy_guidance": "指导辖区内企事业单位开展多形式的民主管理活动，推行厂务公开",
    "member_review": "开展会员代表民主评议、评家",
    "station_eligible": "符合建设工会驿站(爱心驿站)的条件",
    "station_built": "建有工会驿站(爱心驿站)",
    "rights_service": "开展职工维权服务活动",
    "ideology_activities": "开展“三个精神”“中国梦·劳动美”“班前十分钟”等职工思想政治引领活动，经常开展职工文体活动",
    "model_workers": "做好劳模、工匠等先进典型的选树、培育、宣传、管理、服务等工作",
    "party_goal": "工会工作列入党建工作目标，支持工会按照章程开展工作",
    "party_studies": "本年同级党组织研究解决工会工作重大问题次数",
    "village_unions": "村、社区工会组织健全",
    "founding_rate_25": "辖区内25人以上企业建会率",
    "membership_rate_25": "辖区内25人以上企业职工入会率",
    "realname_rate": "辖区内会员实名制率",
    "realname_dynamic": "指导做好基层工会会员实名制工作并落实动态管理",
    "newform_organising": "开展新业态企业、新业态劳动者建会入会工作，符合条件的建立新业态形态联合工会",
    "cadre_training_rate": "本年基层工会干部培训面",
    "reform_guidance": "指导基层工会按照要求开展产改工作",
    "congress_guidance": "指导基层工会建立以职工代表大会为基本形式的民主管理制度，实行厂务公开",
    "congress_rate": "辖区内企事业单位职代会和厂务公开建制率",
    "safety_health": "完善劳动卫生安全工作，落实劳动安全卫生监督工作",
    "law_supervision_org": "建立工会劳动法律监督组织，对企业遵守劳动法律法规情况进行监督",
    "bargaining_guidance": "指导基层工会建立协商协调机制，开展平等协商，签订集体合同和专项集体合同",
    "contract_rate": "辖区内集体合同签订率",
    "service_activities": "指导基层工会开展春风行动、困难帮扶、意外伤害保障、疗休养、驿站建设、免费健康体检等活动",
    "newform_rights": "有面向新业态企业、新业态形态劳动者的工会维权服务举措",
    "big_ideology_class": "推动所属基层工会常态化开展职工大思政课，常态化开展职工文体活动",
    "innovation_studios": "开展创新工作室等工作",
    "joint_unions": "村(社区)联合工会或行业性、区域性工会组织健全",
    "village_joint_rate": "主城区范围内村(社区)联合工会建会率",
    "newform_union": "多举措开展新业态企业、新就业形态劳动者建会入会工作，建立新就业形态联合工会",
    "social_workers": "按规定使用好社会化职业化工会工作者队伍",
    "home_eval_rate": "会员评家开展率",
    "reform_results": "指导基层工会深化产业工人队伍建设改革，有举措有成效",
    "directors_supervisors": "落实《公司法》中职工董事、监事的要求",
    "volunteer_team": "成立志愿服务队伍，并有效发挥作用",
    "ankang_cup": "开展“安康杯”竞赛活动",
    "law_teams": "建有工会劳动法律监督员、劳动争议调解员队伍，推动劳动关系矛盾调处组织建设",
    "wage_bargaining": "指导辖区企业开展能级工资集体协商",
    "service_mechanism": "建立健全服务职工长效机制，开展就业服务，指导提升职工生活品质",
    "station_network": "按照“会、站、家”一体化要求统筹建好、用好、管好工会驿站(爱心驿站)服务阵地",
    "newform_rights4": "多举措开展面向新业态企业、新就业形态劳动者的工会维权服务",
    "ideology_brand": "推动职工思想政治引领工作品牌化、特色化、机制化",
    "joint_meeting": "建立政府与工会联席(联系)会议制度",
    "newform_founding_rate": "辖区内新业态企业建会率",
    "newform_membership_rate": "辖区内新就业形态劳动者入会率",
    "experience_promoted": "产改、和谐劳动关系、基层社会治理等方面形成先进工作经验并在辖区复制推广",
    "finance_management": "建立健全内部财务会计管理制度，落实预算绩效管理，完成经费上解，财务规范化成效显著，资产管理规范，接受检查和审计监督",
    "other_democracy": "指导建立其他企事业民主管理形式，召开区域性、行业性职代会",
    "grassroots_satisfaction": "辖区内基层工会满意率",
    "member_satisfaction": "辖区内会员满意率",
    "volunteer_brand": "工会志愿者队伍形成品牌，积极参加社会治理",
    "tripartite": "健全协调劳动关系三方机制，推动区域性、行业性集体协商",
    "outdoor_circle": "打造15分钟户外劳动者服务圈",
    "newform_convenience": "为新就业形态劳动者工作创造便利，提出工会举措，发挥工会作用",
    "rights_brand": "维权服务工作形成特色品牌，并建立长效机制",
    "innovation_work": "立足实际至少有一项创新或特色工作",
    "commended": "受上级表彰、批示肯定",
    "other_highlights": "其他亮点",
    "last_fatal_accident": "最近一次人员死亡的生产安全事故日期",
    "last_occupational_event": "最近一次严重职业病危害事件日期",
    "group_incident": "评定年度内因劳动争议引起群体性、突发性事件",
}

KINDS = {"乡镇": "township", "街道": "subdistrict", "园区": "park"}
INTS = {"party_studies"}
PCTS = {"founding_rate_25", "membership_rate_25", "realname_rate", "cadre_training_rate",
        "congress_rate", "contract_rate", "village_joint_rate", "home_eval_rate",
        "newform_founding_rate", "newform_membership_rate", "grassroots_satisfaction",
        "member_satisfaction"}
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
    start = AS_OF.replace(year=AS_OF.year - 3)
    return start < d <= AS_OF


def checks(r):
    C = []

    def add(index, text, applies, passes):
        C.append((index, text, applies, bool(passes) if applies else None))

    # 基本指数
    add("basic", "组织体系、三委班子、民主选举、按时换届", True, r["org_system"])
    add("basic", "指导服务基层工会", True, r["guide_grassroots"])
    # 规范指数
    add("normative", "六有", True, r["six_haves"])
    add("normative", "财务", True, r["finance_standard"])
    add("normative", "思想政治引领、文体活动", True, r["ideology_culture"])
    add("normative", "党委政府支持……代表常任制", True, r["party_gov_support"])
    add("normative", "新任主席一年内任职培训合格", r["new_leaders"], r["leaders_trained"])
    add("normative", "经济技术创新", True, r["tech_innovation"])
    add("normative", "民主管理、厂务公开", True, r["democracy_guidance"])
    add("normative", "民主评议、评家", True, r["member_review"])
    add("normative", "符合条件的建有工会驿站", r["station_eligible"], r["station_built"])
    add("normative", "维权服务", True, r["rights_service"])
    # 活力指数 三星级
    add("v3", "三个精神……文体", True, r["ideology_activities"])
    add("v3", "劳模工匠", True, r["model_workers"])
    add("v3", "党建目标, 党组织研究>=2次", True, r["party_goal"] and r["party_studies"] >= 2)
    add("v3", "村社区工会健全, 建会率入会率>=80%, 实名制率>=80%, 新业态", True,
        r["village_unions"] and r["founding_rate_25"] >= 80 and r["membership_rate_25"] >= 80
        and r["realname_rate"] >= 80 and r["realname_dynamic"] and r["newform_organising"])
    add("v3", "培训面>=35%", True, r["cadre_training_rate"] >= 35)
    add("v3", "产改", True, r["reform_guidance"])
    add("v3", "职代会、厂务公开建制率>=87%", True, r["congress_guidance"] and r["congress_rate"] >= 87)
    add("v3", "劳动安全卫生", True, r["safety_health"])
    add("v3", "劳动法律监督组织", True, r["law_supervision_org"])
    add("v3", "协商, 签订>=80%", True, r["bargaining_guidance"] and r["contract_rate"] >= 80)
    add("v3", "春风行动等", True, r["service_activities"])
    add("v3", "新业态维权举措", True, r["newform_rights"])
    # 活力指数 四星
    add("v4", "大思政课", True, r["big_ideology_class"])
    add("v4", "创新工作室", True, r["innovation_studios"])
    add("v4", "联合工会健全, 主城区村社区联合工会100%, 建会率入会率>=85%, 新就业形态联合工会", True,
        r["joint_unions"] and (not r["main_urban"] or r["village_joint_rate"] >= 100)
        and r["founding_rate_25"] >= 85 and r["membership_rate_25"] >= 85 and r["newform_union"])
    add("v4", "实名制率>=85%, 动态管理", True, r["realname_rate"] >= 85 and r["realname_dynamic"])
    add("v4", "社会化职业化工会工作者", True, r["social_workers"])
    add("v4", "评家开展率>=90%", True, r["home_eval_rate"] >= 90)
    add("v4", "产改有举措有成效", True, r["reform_results"])
    add("v4", "建制率>=90%, 职工董事监事", True, r["congress_rate"] >= 90 and r["directors_supervisors"])
    add("v4", "志愿服务队伍", True, r["volunteer_team"])
    add("v4", "安康杯", True, r["ankang_cup"])
    add("v4", "监督员、调解员队伍", True, r["law_teams"])
    add("v4", "能级工资集体协商", True, r["wage_bargaining"])
    add("v4", "协商, 签订率>=90%", True, r["bargaining_guidance"] and r["contract_rate"] >= 90)
    add("v4", "服务职工长效机制", True, r["service_mechanism"])
    add("v4", "会站家一体化驿站", True, r["station_network"])
    add("v4", "新业态维权服务", True, r["newform_rights4"])
    # 活力指数 五星
    add("v5", "品牌化", True, r["ideology_brand"])
    add("v5", "政府与工会联席会议", True, r["joint_meeting"])
    add("v5", "建会率入会率>=90%, 实名制率>=90%, 新业态建会率入会率>=60%", True,
        r["founding_rate_25"] >= 90 and r["membership_rate_25"] >= 90 and r["realname_rate"] >= 90
        and r["realname_dynamic"] and r["newform_founding_rate"] >= 60 and r["newform_membership_rate"] >= 60)
    add("v5", "先进经验复制推广", True, r["experience_promoted"])
    add("v5", "财务", True, r["finance_management"])
    add("v5", "建制率>=93%, 其他民主管理形式, 区域性职代会", True, r["congress_rate"] >= 93 and r["other_democracy"])
    add("v5", "满意率>=85%", True, r["grassroots_satisfaction"] >= 85 and r["member_satisfaction"] >= 85)
    add("v5", "志愿者队伍品牌", True, r["volunteer_brand"])
    add("v5", "三方机制", True, r["tripartite"])
    add("v5", "15分钟服务圈", True, r["outdoor_circle"])
    add("v5", "新就业形态便利", True, r["newform_convenience"])
    add("v5", "维权服务品牌", True, r["rights_brand"])
    # 创新指数
    add("innovation", "至少一项创新或特色工作", True, r["innovation_work"])
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
        return True
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
    for i, name in enumerate(LEVELS):
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
    path = sys.argv[1] if len(sys.argv) > 1 else "policies/hangzhou-2025-township.csv"
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "rating", "vetoed", "failed"])
    for r in read(path):
        level, vetoed, failed, _ = evaluate(r)
        out.writerow([r["id"], level, 1 if vetoed else 0, failed])


if __name__ == "__main__":
    main()
