"""The Complaint Handling Code 2024 (in force from 1 April 2024), provision by provision, and the Housing
Ombudsman's 16 "learning from complaints" self-assessment items, as the rows every self-assessment starts from.

The wording is a faithful summary of each provision of the Code as the Ombudsman publishes it
(housing-ombudsman.org.uk, "The Complaint Handling Code", 2024, with its Appendix A self-assessment form, which has
the same rows); docs/reports.md says where it came from. "must" marks what the Code makes mandatory (must, must not,
not acceptable), "should" what it sets out as expected or good practice. Admins change the rows when the Code changes.
The data is written here, not imported, so that the migration means the same thing whenever it runs.
"""
import datetime as dt

from peewee import *

EDITION = "2024"
EFFECTIVE_ON = dt.date(2024, 4, 1)
LEARNING_EDITION = "Learning from complaints"

SECTIONS = {
    1: "Definition of a complaint",
    2: "Exclusions",
    3: "Accessibility and awareness",
    4: "Complaint handling staff",
    5: "The complaint handling process",
    6: "Complaint stages",
    7: "Putting things right",
    8: "Self-assessment, reporting and compliance",
    9: "Scrutiny and oversight: continuous learning and improvement",
}

# (number, obligation, requirement)
PROVISIONS = [
    ("1.1", "should", "Effective complaint handling lets residents be heard and understood; it starts from a "
     "shared understanding of what a complaint is."),
    ("1.2", "must", "A complaint must be defined as an expression of dissatisfaction, however made, about the "
     "standard of service, actions or lack of action by the landlord, its own staff, or those acting on its "
     "behalf, affecting a resident or group of residents."),
    ("1.3", "must", "A resident does not have to use the word \"complaint\" for it to be treated as one. Whenever a "
     "resident expresses dissatisfaction the landlord must give them the choice to make a complaint. A complaint "
     "made through a third party or representative must be handled in line with the complaints policy."),
    ("1.4", "must", "The landlord must recognise the difference between a service request and a complaint, and set "
     "it out in its complaints policy. Service requests are not complaints but must be recorded, monitored and "
     "reviewed regularly."),
    ("1.5", "must", "A complaint must be raised when the resident is dissatisfied with the response to their service "
     "request, even while the request is still being handled; the landlord must not stop working on the request "
     "because the resident complained."),
    ("1.6", "must", "Dissatisfaction expressed in a survey is not a complaint, but the person should where possible be "
     "told how to complain; where the landlord asks for wider feedback it must say how residents can complain."),
    ("2.1", "must", "The landlord must accept a complaint unless there is a valid reason not to. If it does not accept "
     "one it must be able to evidence its reasoning. Each complaint must be considered on its own merits."),
    ("2.2", "must", "The complaints policy must set out the circumstances in which a matter will not be considered as "
     "a complaint or escalated, and they must be fair and reasonable. Acceptable exclusions include: the issue "
     "arose more than twelve months ago; legal proceedings have started (a claim has been filed at court); the "
     "matter was already considered under the complaints policy."),
    ("2.3", "must", "The landlord must accept complaints made within 12 months of the issue occurring or of the "
     "resident becoming aware of it, unless excluded on other grounds, and must consider using its discretion to "
     "accept complaints made later where there is good reason."),
    ("2.4", "must", "If the landlord does not accept a complaint it must explain to the resident why the matter is not "
     "suitable for the complaints process, and tell them of their right to take that decision to the Ombudsman."),
    ("2.5", "must", "The landlord must not take a blanket approach to excluding complaints; it must consider the "
     "individual circumstances of each one."),
    ("3.1", "must", "The landlord must make it easy to complain by offering different channels, and must consider its "
     "duties under the Equality Act 2010, anticipating the needs and reasonable adjustments of residents who may "
     "need to use the complaints process."),
    ("3.2", "must", "Residents must be able to complain in any way and to any member of staff. All staff must know the "
     "complaints process and be able to pass a complaint to the right person."),
    ("3.3", "must", "High volumes of complaints must not be seen as negative: they can show a well-publicised and "
     "accessible process. Low volumes may be a sign that residents are unable to complain."),
    ("3.4", "must", "The landlord must make its complaints policy available in a clear and accessible format for all "
     "residents, setting out the two stages, what happens at each and the timescales, and must publish it on its "
     "website."),
    ("3.5", "must", "The policy must explain how the landlord will publicise the complaints policy, including "
     "information about the Ombudsman and the Code."),
    ("3.6", "must", "The landlord must give residents the chance to have a representative deal with their complaint, "
     "and to be represented or accompanied at any meeting with the landlord."),
    ("3.7", "must", "The landlord must tell residents of their right to access the Ombudsman service and how they can "
     "engage with the Ombudsman about their complaint."),
    ("4.1", "must", "The landlord must have a person or team (the \"complaints officer\") responsible for complaint "
     "handling, including liaison with the Ombudsman and making sure complaints are reported to the governing "
     "body. The role may sit alongside other duties."),
    ("4.2", "must", "The complaints officer must have access to staff at all levels to resolve complaints promptly, "
     "and the authority and autonomy to act to resolve disputes promptly and fairly."),
    ("4.3", "must", "The landlord is expected to prioritise complaint handling and a culture of learning from "
     "complaints. All relevant staff must be suitably trained in the importance of complaint handling, and "
     "complaint handling must be resourced as a core service."),
    ("5.1", "must", "The landlord must have a single policy for complaints covered by the Code. Residents must not be "
     "treated differently if they complain."),
    ("5.2", "must", "Early and local resolution is key. Extra named stages (such as \"stage 0\" or \"informal "
     "complaint\") are not appropriate, as they cause confusion."),
    ("5.3", "must", "A process with more than two stages is not acceptable under any circumstances: it makes the "
     "process unduly long and delays access to the Ombudsman."),
    ("5.4", "must", "Where a third party (a contractor or an independent adjudicator) handles a complaint response at "
     "any stage, it must form part of the two-stage process. Residents must not have to go through two complaints "
     "processes."),
    ("5.5", "must", "The landlord is responsible for making sure any third parties handle complaints in line with the "
     "Code."),
    ("5.6", "must", "When a complaint is logged at stage 1 or escalated to stage 2, the landlord must set out its "
     "understanding of the complaint and the outcomes the resident wants (the \"complaint definition\"). If "
     "anything is unclear, the resident must be asked to clarify."),
    ("5.7", "must", "When a complaint is acknowledged at either stage, the landlord must be clear which parts of it it "
     "is, and is not, responsible for, and clarify any that are unclear."),
    ("5.8", "must", "At each stage complaint handlers must: deal with complaints on their merits, act independently "
     "and keep an open mind; give the resident a fair chance to set out their position; take measures to address "
     "any actual or perceived conflict of interest; and consider all relevant information and evidence carefully."),
    ("5.9", "must", "Where a response will fall outside the Code's timescales, the landlord must agree with the "
     "resident suitable intervals for keeping them informed."),
    ("5.10", "must", "The landlord must make reasonable adjustments where appropriate under the Equality Act 2010, keep "
     "a record of any adjustments agreed and of any disabilities a resident has disclosed, and keep agreed "
     "adjustments under active review."),
    ("5.11", "must", "The landlord must not refuse to escalate a complaint through all stages unless it has valid "
     "reasons, which it must set out clearly and which must comply with section 2 of the Code."),
    ("5.12", "must", "A full record must be kept of the complaint and the outcome at each stage: the original "
     "complaint and the date received, all correspondence with the resident and with other parties, and any "
     "relevant supporting documents such as reports or surveys."),
    ("5.13", "must", "The landlord must have processes so that a complaint can be remedied at any stage, with "
     "appropriate remedies available without the need to escalate."),
    ("5.14", "must", "The landlord must have policies and procedures for managing unacceptable behaviour by residents "
     "or their representatives, be able to evidence its reasons for any restrictions, and keep restrictions under "
     "regular review."),
    ("5.15", "must", "Any restriction on contact because of unacceptable behaviour must be proportionate and show "
     "regard for the Equality Act 2010."),
    ("6.1", "must", "The landlord must have processes to decide which complaints can be answered as early as possible "
     "and which need further investigation, considering factors such as complexity and whether the resident is "
     "vulnerable or at risk. Most complaints should be resolvable at stage 1."),
    ("6.2", "must", "Complaints must be acknowledged, defined and logged at stage 1 within five working days of being "
     "received."),
    ("6.3", "must", "The landlord must issue a full response to a stage 1 complaint within 10 working days of "
     "acknowledging it."),
    ("6.4", "must", "The landlord must decide whether an extension is needed, given the complexity of the complaint, "
     "and tell the resident the expected timescale. An extension must be no more than 10 working days without good "
     "reason, and the reasons must be clearly explained to the resident."),
    ("6.5", "must", "When the landlord tells a resident of an extension it must give them the Ombudsman's contact "
     "details."),
    ("6.6", "must", "A response must be given when the answer to the complaint is known, not when outstanding actions "
     "are completed. Outstanding actions must still be tracked and carried out promptly, with updates to the "
     "resident."),
    ("6.7", "must", "The landlord must address all points raised and give clear reasons for any decisions, referring "
     "to the relevant policy, law and good practice where appropriate."),
    ("6.8", "must", "Additional complaints raised during the investigation must be included in the stage 1 response if "
     "they are related and the response has not been issued; otherwise (already issued, unrelated, or it would "
     "unreasonably delay the response) they must be logged as a new complaint."),
    ("6.9", "must", "At the end of stage 1 the landlord must confirm in writing, in clear plain language: the stage; the "
     "complaint definition; the decision; the reasons for it; any remedy offered; any outstanding actions; and how "
     "to escalate to stage 2."),
    ("6.10", "must", "If all or part of the complaint is not resolved to the resident's satisfaction at stage 1, it "
     "must be progressed to stage 2. Stage 2 is the landlord's final response."),
    ("6.11", "must", "Requests for stage 2 must be acknowledged, defined and logged at stage 2 within five working days "
     "of the escalation request being received."),
    ("6.12", "must", "Residents must not be required to explain why they want stage 2; the landlord is expected to make "
     "reasonable efforts to understand why the resident remains unhappy."),
    ("6.13", "must", "The person considering the complaint at stage 2 must not be the person who considered it at "
     "stage 1."),
    ("6.14", "must", "The landlord must issue a final response at stage 2 within 20 working days of acknowledging the "
     "escalation."),
    ("6.15", "must", "The landlord must decide whether an extension is needed at stage 2 and tell the resident the "
     "expected timescale. An extension must be no more than 20 working days without good reason, and the reasons "
     "must be clearly explained."),
    ("6.16", "must", "When the landlord tells a resident of a stage 2 extension it must give them the Ombudsman's "
     "contact details."),
    ("6.17", "must", "A stage 2 response must be given when the answer is known, not when outstanding actions are "
     "completed; outstanding actions must still be tracked and carried out promptly, with updates to the resident."),
    ("6.18", "must", "At stage 2 the landlord must address all points raised and give clear reasons for any decisions, "
     "referring to the relevant policy, law and good practice where appropriate."),
    ("6.19", "must", "At the end of stage 2 the landlord must confirm in writing, in clear plain language: the stage; "
     "the complaint definition; the decision; the reasons for it; any remedy offered; any outstanding actions; and "
     "how to take the complaint to the Ombudsman if the resident remains dissatisfied."),
    ("6.20", "must", "Stage 2 is the landlord's final response and must involve all suitable staff needed to give it."),
    ("7.1", "must", "Where something has gone wrong the landlord must acknowledge it and set out what it has done or "
     "will do to put things right: for example an apology, acknowledging what went wrong, an explanation or "
     "reasons, action on a delay, reconsidering a decision, correcting a record, a financial remedy, or changing "
     "policies, procedures or practices."),
    ("7.2", "must", "Any remedy offered must reflect the impact on the resident of the fault identified."),
    ("7.3", "must", "The remedy offer must set out clearly what will happen and by when, agreed with the resident where "
     "appropriate, and any remedy must be followed through to completion."),
    ("7.4", "must", "The landlord must take account of the Ombudsman's guidance when deciding on remedies."),
    ("8.1", "must", "The landlord must produce an annual complaints performance and service improvement report, "
     "including: the annual self-assessment against the Code; a qualitative and quantitative analysis of its "
     "complaint handling, with a summary of the types of complaints it refused; any findings of non-compliance "
     "by the Ombudsman; the service improvements made from learning; any annual report on it from the Ombudsman; "
     "and any other relevant Ombudsman reports or publications about it."),
    ("8.2", "must", "The annual report must go to the governing body and be published on the complaints section of the "
     "website, with the governing body's response published alongside it."),
    ("8.3", "must", "The landlord must also carry out a self-assessment after a significant restructure, merger or "
     "change in procedures."),
    ("8.4", "should", "The landlord may be asked to review and update its self-assessment after an Ombudsman "
     "investigation."),
    ("8.5", "must", "If the landlord cannot comply with the Code because of exceptional circumstances (a cyber "
     "incident, for example), it must tell the Ombudsman, inform residents who may be affected, publish this on its "
     "website, and give a timescale for returning to compliance."),
    ("9.1", "must", "The landlord must look beyond the individual complaint and consider whether service improvements "
     "can be made from what it learns."),
    ("9.2", "must", "A positive complaint handling culture is integral; the landlord must use complaints as a source of "
     "intelligence to identify issues and introduce positive changes in service delivery."),
    ("9.3", "must", "The landlord must report back on wider learning and improvements from complaints to stakeholders "
     "such as residents' panels, staff and relevant committees."),
    ("9.4", "must", "The landlord must appoint a suitably senior lead person accountable for complaint handling, who "
     "must assess themes and trends to find systemic issues, serious risks, or policies and procedures that need "
     "revising."),
    ("9.5", "must", "A member of the governing body must be appointed to have lead responsibility for complaints and "
     "support a positive complaint handling culture: the Member Responsible for Complaints (MRC)."),
    ("9.6", "must", "The MRC is responsible for making sure the governing body receives regular information on "
     "complaints that gives insight into complaint handling performance, and must have access to suitable "
     "information and staff to do this and report their findings."),
    ("9.7", "must", "As a minimum, the MRC and the governing body must receive: regular updates on the volume, "
     "categories and outcomes of complaints, with complaint handling performance; regular reviews of issues and "
     "trends from complaint handling; regular updates on the outcomes of the Ombudsman's investigations and "
     "progress on orders made after severe maladministration findings; and the annual complaints performance and "
     "service improvement report."),
    ("9.8", "must", "The landlord must have a standard objective on complaint handling for all relevant employees or "
     "third parties, reflecting the need to work collaboratively across teams to resolve complaints, to take "
     "collective responsibility for shortfalls rather than blaming others, and to act within the professional "
     "standards of any relevant professional body."),
]

# The Housing Ombudsman's "learning from complaints" self-assessment items, each scored yes (1) or no (0).
LEARNING = [
    ("1", "The organisation learns from the complaints it handles: a root cause analysis of every upheld complaint, "
     "lessons learned actioned so the root cause is addressed, and the learning shared and used to improve "
     "services."),
    ("2", "Systems record, analyse and report on complaint outcomes, trends and actions taken, and lessons learned "
     "reports show the outcomes of complaints."),
    ("3", "The organisation responds to key themes from its analysis of complaints: themes are identified and "
     "documented, senior managers agree improvement actions on them, and improvements can be shown."),
    ("4", "Remedial action is taken, where appropriate, so that what led to a complaint does not recur: a process "
     "makes sure every action from individual complaint investigations is completed."),
    ("5", "Senior managers make sure improvements are implemented within the required timescale: actions are "
     "recorded and carried out to an agreed timescale, system reports tell senior managers when they become "
     "overdue, and senior managers sign them off when complete."),
    ("6", "Besides telling the customer the decision, the outcome is fed back to the relevant staff, and internal "
     "quality checks show it."),
    ("7", "Complaint outcomes are shared across the organisation in lessons learned reports (or similar), with the "
     "improvement actions taken."),
    ("8", "The organisation learns from complaint outcomes in other organisations and sectors and shares learning "
     "across the sector: it benchmarks its complaint handling against others, and is an active member of a "
     "complaint handling network, attending at least 75% of its meetings a year."),
    ("9", "Complaints information is analysed for outcomes, trends, themes and patterns, and used to change working "
     "practices, service provision and staff training, with records of the analysis and the actions taken."),
    ("10", "Complaints, and the learning from them, are a documented agenda item at team meetings, and the minutes "
     "show it."),
    ("11", "Complaints, and the learning from them, are a documented agenda item at management team meetings, and the "
     "minutes show it."),
    ("12", "Customers are told when service improvements are made because of their complaint, and internal quality "
     "checks show it."),
    ("13", "Complaint outcomes, trends and actions are published at least quarterly on the website, with case studies "
     "in newsletters and other publications."),
    ("14", "Senior management review the information from complaints and consider whether services, policies or "
     "procedures should change; agendas, minutes and records of improvements show it."),
    ("15", "Improvements are made to how complaints are handled on the back of monitoring performance, and the "
     "evidence is readily available."),
    ("16", "A process tells senior managers when improvement actions are implemented or become overdue, and actions "
     "are completed within an agreed timescale and signed off by a senior manager."),
]


def _table(db):
    class CodeProvision(Model):
        checklist = CharField(max_length=10)
        edition = CharField(max_length=40)
        effective_on = DateField()
        number = CharField(max_length=10)
        section = IntegerField()
        section_title = CharField(max_length=200)
        requirement = TextField()
        obligation = CharField(max_length=10)
        position = IntegerField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'code_provision'

    return CodeProvision


def rows(now):
    """Every row the migration writes, in order."""
    found = []
    for number, obligation, requirement in PROVISIONS:
        section, item = (int(part) for part in number.split("."))
        found.append({
            "checklist": "code", "edition": EDITION, "effective_on": EFFECTIVE_ON, "number": number,
            "section": section, "section_title": SECTIONS[section], "requirement": requirement,
            "obligation": obligation, "position": section * 100 + item, "updated_at": now,
        })
    for number, requirement in LEARNING:
        found.append({
            "checklist": "learning", "edition": LEARNING_EDITION, "effective_on": EFFECTIVE_ON, "number": number,
            "section": 0, "section_title": "Learning from complaints", "requirement": requirement,
            "obligation": "should", "position": 1000 + int(number), "updated_at": now,
        })
    return found


def up(migrator, db):
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _table(db).insert_many(rows(now)).execute()


def down(migrator, db):
    table = _table(db)
    table.delete().where(
        ((table.checklist == "code") & (table.edition == EDITION))
        | ((table.checklist == "learning") & (table.edition == LEARNING_EDITION))
    ).execute()
